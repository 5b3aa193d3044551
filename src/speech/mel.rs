//! The mel filter bank a whisper.cpp model file carries: librosa's Slaney
//! filters for 16 kHz audio, a 400-point FFT and 80 bands, the same numbers
//! as OpenAI's `mel_filters.npz`.

/// `n_mels` x (`n_fft` / 2 + 1) weights, row by row.
pub fn slaney_mel_filters(sample_rate: f64, n_fft: usize, n_mels: usize) -> Vec<f32> {
    let bins = n_fft / 2 + 1;
    let fft_freqs: Vec<f64> = (0..bins)
        .map(|i| i as f64 * sample_rate / n_fft as f64)
        .collect();
    let (mel_min, mel_max) = (hz_to_mel(0.0), hz_to_mel(sample_rate / 2.0));
    let mel_points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(mel_min + (mel_max - mel_min) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut weights = Vec::with_capacity(n_mels * bins);
    for m in 0..n_mels {
        let (left, centre, right) = (mel_points[m], mel_points[m + 1], mel_points[m + 2]);
        // Slaney normalisation: each filter has unit area.
        let norm = 2.0 / (right - left);
        for &f in &fft_freqs {
            let lower = (f - left) / (centre - left);
            let upper = (right - f) / (right - centre);
            weights.push((lower.min(upper).max(0.0) * norm) as f32);
        }
    }
    weights
}

const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step()
    } else {
        hz / F_SP
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_openai_mel_filters() {
        let w = slaney_mel_filters(16_000.0, 400, 80);
        assert_eq!(w.len(), 80 * 201);
        // OpenAI's mel_filters.npz starts 0, 0.02486259, 0 (librosa 0.8, float32);
        // the second band peaks at bin 2.
        assert!((w[1] - 0.024_862_593).abs() < 1e-7, "{}", w[1]);
        assert!((w[201 + 2] - 0.022_871_772).abs() < 1e-7, "{}", w[201 + 2]);
        assert_eq!(w[0], 0.0);
        // Every band has some weight; the last one ends at the Nyquist frequency.
        assert!((0..80).all(|m| w[m * 201..(m + 1) * 201].iter().any(|&x| x > 0.0)));
    }
}
