//! The conference's logo as packages carry it: decoded, made at most
//! `HEIGHT` pixels high, and encoded again as PNG, so that whatever the
//! file carried beside its pixels (a camera's or an editor's metadata, a
//! name in a comment) stays behind.

use anyhow::{Context, Result};
use image::imageops::FilterType;

use crate::project::Logo;

/// Its name in a package.
pub(super) const LOGO: &str = "assets/logo.png";

/// The header shows it about 40 px high; this leaves room for screens of
/// three or four times the density.
const HEIGHT: u32 = 160;

/// The PNG a package carries for `logo`.
pub(super) fn logo_png(logo: &Logo) -> Result<Vec<u8>> {
    let image = image::load_from_memory(&logo.bytes)
        .context("the logo (`conference.logo` in confkit.toml) cannot be decoded; save it again as PNG or JPEG")?;
    let image = if image.height() > HEIGHT {
        image.resize(u32::MAX, HEIGHT, FilterType::Lanczos3)
    } else {
        image
    };
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .context("cannot encode the logo as PNG")?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_with_text(width: u32, height: u32, text: &str) -> Vec<u8> {
        let mut png = Vec::new();
        image::RgbImage::from_pixel(width, height, image::Rgb([11, 60, 111]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        // A tEXt chunk after the header chunk (its CRC is not checked by
        // the decoder, which is what an attacker counts on too).
        let chunk = [b"tEXt".as_slice(), b"Author\0", text.as_bytes()].concat();
        let mut with = png[..33].to_vec();
        with.extend(((chunk.len() - 4) as u32).to_be_bytes());
        with.extend(&chunk);
        with.extend(crc32fast::hash(&chunk).to_be_bytes());
        with.extend(&png[33..]);
        with
    }

    #[test]
    fn the_logo_ships_without_its_metadata_and_at_header_size() {
        let logo = Logo {
            extension: "png",
            bytes: png_with_text(800, 400, "Amina Bello"),
        };
        assert!(String::from_utf8_lossy(&logo.bytes).contains("Amina Bello"));
        let shipped = logo_png(&logo).unwrap();
        assert!(!String::from_utf8_lossy(&shipped).contains("Amina"));
        let image = image::load_from_memory(&shipped).unwrap();
        assert_eq!((image.width(), image.height()), (320, 160));
    }

    #[test]
    fn a_file_that_is_not_an_image_is_refused() {
        let logo = Logo {
            extension: "png",
            bytes: b"\x89PNG\r\n\x1a\nnot really".to_vec(),
        };
        let error = format!("{:#}", logo_png(&logo).unwrap_err());
        assert!(error.contains("cannot be decoded"), "{error}");
    }
}
