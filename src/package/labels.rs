//! The player's and pages' own words, in French and English.

use serde::Serialize;

/// Every label the pages show.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub(crate) skip: &'static str,
    pub(crate) languages: &'static str,
    pub(crate) footer: &'static str,
    pub(crate) welcome: &'static str,
    pub(crate) modules: &'static str,
    pub(crate) steps: &'static str,
    pub(crate) about: &'static str,
    pub(crate) guide: &'static str,
    pub(crate) transcripts: &'static str,
    pub(crate) facts: &'static str,
    pub(crate) to_complete: &'static str,
    pub(crate) objectives: &'static str,
    pub(crate) relies_on: &'static str,
    pub(crate) controls: &'static str,
    pub(crate) previous: &'static str,
    pub(crate) next: &'static str,
    pub(crate) subtitles: &'static str,
    pub(crate) both: &'static str,
    pub(crate) off: &'static str,
    pub(crate) hide_notes: &'static str,
    pub(crate) show_notes: &'static str,
    pub(crate) present: &'static str,
    pub(crate) transcript: &'static str,
    pub(crate) notes: &'static str,
    pub(crate) question: &'static str,
    pub(crate) exercise: &'static str,
    pub(crate) pause: &'static str,
    pub(crate) listen_in: &'static str,
    pub(crate) subtitles_file: &'static str,
    pub(crate) audio_file: &'static str,
    pub(crate) language_name_fr: &'static str,
    pub(crate) language_name_en: &'static str,
    pub(crate) reel: &'static str,
    pub(crate) unreviewed: &'static str,
    pub(crate) unreviewed_machine: &'static str,
    pub(crate) unreviewed_draft: &'static str,
    /// A colon as the language writes it (French puts a space before).
    pub(crate) colon: &'static str,
}

/// The labels in `language` (French unless English).
pub fn labels(language: &str) -> Labels {
    if language == "en" {
        Labels {
            skip: "Skip to content",
            languages: "Languages",
            footer: "Training package. Works offline: open index.html; nothing is fetched from the network.",
            welcome: "Training material for",
            modules: "Training modules",
            steps: "steps",
            about: "about",
            guide: "Practical guide",
            transcripts: "Clips and transcripts",
            facts: "Fact sheet",
            to_complete: "To be completed",
            objectives: "Objectives",
            relies_on: "Guide chapters:",
            controls: "Module controls",
            previous: "Previous",
            next: "Next",
            subtitles: "Subtitles",
            both: "Both",
            off: "Off",
            hide_notes: "Hide trainer notes",
            show_notes: "Show trainer notes",
            present: "Presenter mode",
            transcript: "Transcript",
            notes: "Trainer notes",
            question: "Discussion question",
            exercise: "Exercise",
            pause: "Trainer",
            listen_in: "Audio in",
            subtitles_file: "subtitles",
            audio_file: "audio",
            language_name_fr: "French",
            language_name_en: "English",
            reel: "The whole module as one video (for a TV, a phone or VLC)",
            unreviewed: "Automatic transcript, not reviewed",
            unreviewed_machine: "automatic",
            unreviewed_draft: "corrected draft, not signed off",
            colon: ":",
        }
    } else {
        Labels {
            skip: "Aller au contenu",
            languages: "Langues",
            footer: "Paquet de formation. Fonctionne hors ligne : ouvrir index.html ; rien n'est chargé depuis le réseau.",
            welcome: "Matériel de formation pour",
            modules: "Modules de formation",
            steps: "étapes",
            about: "environ",
            guide: "Guide pratique",
            transcripts: "Extraits et transcriptions",
            facts: "Fiche pays",
            to_complete: "À compléter",
            objectives: "Objectifs",
            relies_on: "Chapitres du guide\u{a0}:",
            controls: "Commandes du module",
            previous: "Précédent",
            next: "Suivant",
            subtitles: "Sous-titres",
            both: "Les deux",
            off: "Aucun",
            hide_notes: "Masquer les notes du formateur",
            show_notes: "Afficher les notes du formateur",
            present: "Mode présentation",
            transcript: "Transcription",
            notes: "Notes du formateur",
            question: "Question de discussion",
            exercise: "Exercice",
            pause: "Formateur",
            listen_in: "Audio en",
            subtitles_file: "sous-titres",
            audio_file: "audio",
            language_name_fr: "français",
            language_name_en: "anglais",
            reel: "Le module en une seule vidéo (pour un téléviseur, un téléphone ou VLC)",
            unreviewed: "Transcription automatique, non relue",
            unreviewed_machine: "automatique",
            unreviewed_draft: "brouillon corrigé, non validé",
            colon: "\u{a0}:",
        }
    }
}

impl Labels {
    /// The name of `language` in these labels' language.
    pub fn language_name(&self, language: &str) -> &'static str {
        if language == "en" {
            self.language_name_en
        } else {
            self.language_name_fr
        }
    }
}
