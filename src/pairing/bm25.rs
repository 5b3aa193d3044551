//! BM25 (Robertson and Spärck Jones; k1 1.2, b 0.75), the ranking search
//! engines use: how well a query's words match each document, weighing rare
//! words more and long documents less.

use std::collections::{BTreeMap, BTreeSet};

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Words too common in French or English to say what a text is about.
const STOPWORDS: &[&str] = &[
    "les",
    "des",
    "une",
    "dans",
    "pour",
    "par",
    "sur",
    "avec",
    "qui",
    "que",
    "est",
    "sont",
    "aux",
    "ces",
    "son",
    "ses",
    "leur",
    "leurs",
    "nous",
    "vous",
    "ils",
    "elle",
    "elles",
    "été",
    "être",
    "plus",
    "entre",
    "cette",
    "comme",
    "mais",
    "ont",
    "fait",
    "and",
    "the",
    "for",
    "with",
    "that",
    "this",
    "are",
    "was",
    "were",
    "from",
    "have",
    "has",
    "will",
    "which",
    "their",
    "they",
    "also",
    "not",
    "been",
    "its",
    "our",
    "who",
    "all",
    "can",
    "into",
    "between",
    "more",
    "than",
    "still",
    "first",
    "same",
    "being",
    "again",
    "make",
    "through",
    "possible",
    "such",
    "other",
    "there",
    "these",
    "those",
    "what",
    "when",
    "where",
    "would",
    "should",
    "could",
    "pas",
    "même",
    "vers",
    "aussi",
    "tous",
    "tout",
    "toute",
    "toutes",
    "autres",
    "autre",
    "très",
    "ainsi",
    "notamment",
    "dont",
    "sans",
    "sous",
    "après",
    "avant",
    "lors",
    "chaque",
    "peut",
    "doit",
];

/// The words of `text` that carry meaning: lower case, letters and digits,
/// three characters or more, no stopwords.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| w.chars().count() >= 3 && !STOPWORDS.contains(&w.as_str()))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// An index of documents.
pub struct Index {
    documents: Vec<BTreeMap<String, usize>>,
    lengths: Vec<usize>,
    document_frequency: BTreeMap<String, usize>,
    average_length: f64,
}

impl Index {
    /// Indexes `texts`, one document each.
    pub fn new(texts: &[String]) -> Index {
        let mut documents = Vec::new();
        let mut lengths = Vec::new();
        let mut document_frequency: BTreeMap<String, usize> = BTreeMap::new();
        for text in texts {
            let words = words(text);
            lengths.push(words.len());
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for word in words {
                *counts.entry(word).or_default() += 1;
            }
            for word in counts.keys() {
                *document_frequency.entry(word.clone()).or_default() += 1;
            }
            documents.push(counts);
        }
        let average_length = lengths.iter().sum::<usize>() as f64 / lengths.len().max(1) as f64;
        Index {
            documents,
            lengths,
            document_frequency,
            average_length: average_length.max(1.0),
        }
    }

    /// The score of document `n` for `query`, and the query words that
    /// counted most, best first.
    pub fn score(&self, n: usize, query: &str) -> (f64, Vec<String>) {
        let total = self.documents.len() as f64;
        let mut contributions: Vec<(f64, String)> = Vec::new();
        let query: BTreeSet<String> = words(query).into_iter().collect();
        for word in query {
            let Some(&tf) = self.documents[n].get(&word) else {
                continue;
            };
            let df = self.document_frequency[&word] as f64;
            let idf = ((total - df + 0.5) / (df + 0.5) + 1.0).ln();
            let tf = tf as f64;
            let norm = K1 * (1.0 - B + B * self.lengths[n] as f64 / self.average_length);
            contributions.push((idf * tf * (K1 + 1.0) / (tf + norm), word));
        }
        contributions.sort_by(|a, b| b.0.total_cmp(&a.0));
        (
            contributions.iter().map(|(s, _)| s).sum(),
            contributions.into_iter().map(|(_, w)| w).collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_that_shares_rare_words_ranks_first() {
        let index = Index::new(&[
            "Niger: l'ANLTP-TIM coordonne le mécanisme national d'orientation des victimes.".into(),
            "Mali: la police des frontières et les victimes.".into(),
            "Italie: les arrivées en Méditerranée centrale.".into(),
        ]);
        let query = "le mécanisme d'orientation de l'ANLTP-TIM pour les victimes";
        let scores: Vec<f64> = (0..3).map(|n| index.score(n, query).0).collect();
        assert!(scores[0] > scores[1] && scores[1] > scores[2], "{scores:?}");
        assert_eq!(index.score(0, query).1[0], "anltp-tim");
    }
}
