//! The files that describe a package: `manifest.json` (every file with its
//! SHA-256 and size, and each clip's source recording with its hash and
//! time range), `SHA256SUMS` (for `sha256sum -c`) and a README in French
//! and English.

use serde::{Deserialize, Serialize};

use crate::texts::reviews::ReviewState;

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The format, for readers.
    pub format: String,
    /// The institution's id.
    pub institution: String,
    /// The conference's id.
    pub conference: String,
    /// The package's languages.
    pub languages: Vec<String>,
    /// Every other file of the package, sorted by name.
    pub files: Vec<FileRecord>,
    /// Where each clip comes from.
    pub clips: Vec<ClipRecord>,
    /// Which volume this is, when the package was split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<VolumeRecord>,
}

/// A volume of a split package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VolumeRecord {
    /// Its number, from 1.
    pub number: usize,
    /// How many volumes the package has.
    pub of: usize,
    /// The files of the package in the other volumes, with their volume's
    /// file name: pages may point at them.
    pub elsewhere: Vec<ElsewhereRecord>,
}

/// A file of the package in another volume.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ElsewhereRecord {
    /// The file.
    #[serde(flatten)]
    pub file: FileRecord,
    /// The volume's ZIP that holds it.
    pub volume: String,
}

/// One file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRecord {
    /// Its path in the package.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256.
    pub sha256: String,
}

/// A clip's provenance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClipRecord {
    /// The clip's id.
    pub id: String,
    /// The source recording's id.
    pub recording: String,
    /// The source recording file's SHA-256.
    pub recording_sha256: String,
    /// Start in the recording.
    pub start: String,
    /// End in the recording.
    pub end: String,
    /// Its clearance.
    pub clearance: String,
    /// Its subtitles: where each language's text comes from, and whether a
    /// person signed it off.
    pub subtitles: Vec<SubtitlesRecord>,
}

/// The provenance of one language's subtitles of a clip.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SubtitlesRecord {
    /// The language.
    pub language: String,
    /// `floor`, `interpretation`, `human translation`, `machine translation`.
    pub source: String,
    /// `machine`, `draft` or `reviewed`.
    pub review: String,
    /// Who signed it off, when reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
}

/// The names of the files that describe the package (not in `files`); a
/// signed package also has [`super::signature::SIGNATURE_ENTRY`], which
/// signs `SHA256SUMS`.
pub const DESCRIBING: [&str; 2] = ["manifest.json", "SHA256SUMS"];

/// The record of `bytes` at `path`.
pub fn record(path: &str, bytes: &[u8]) -> FileRecord {
    FileRecord {
        path: path.to_string(),
        size: bytes.len() as u64,
        sha256: crate::fs::sha256_hex(bytes),
    }
}

/// `SHA256SUMS`: the manifest's files and the manifest itself.
pub fn sha256sums(files: &[FileRecord], manifest: &[u8]) -> String {
    let mut lines: Vec<String> = files
        .iter()
        .map(|f| format!("{}  {}", f.sha256, f.path))
        .collect();
    lines.push(format!(
        "{}  manifest.json",
        crate::fs::sha256_hex(manifest)
    ));
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    lines.join("\n") + "\n"
}

/// `README.txt`, in French then English.
pub fn readme(
    institution_fr: &str,
    institution_en: &str,
    conference_fr: &str,
    conference_en: &str,
    unreviewed: &[(String, String, ReviewState)],
) -> String {
    let list = |french: bool| -> String {
        unreviewed
            .iter()
            .map(|(clip, language, state)| {
                let name = match (french, language.as_str()) {
                    (true, "fr") => "français",
                    (true, "en") => "anglais",
                    (false, "fr") => "French",
                    (false, "en") => "English",
                    (_, other) => other,
                };
                let how = match (french, state) {
                    (true, ReviewState::Draft) => "brouillon corrigé, non validé",
                    (true, _) => "automatique",
                    (false, ReviewState::Draft) => "corrected draft, not signed off",
                    (false, _) => "automatic",
                };
                let colon = if french { " :" } else { ":" };
                format!("  - {clip}{colon} {name} ({how})\n")
            })
            .collect()
    };
    let (warning_fr, warning_en) = if unreviewed.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(
                "\nATTENTION : sous-titres non relus. Les sous-titres suivants n'ont pas été\n\
validés par une personne : ils viennent de la reconnaissance vocale\n\
automatique (ou de sa traduction), corrigés ou non, et peuvent contenir des\n\
erreurs. Le lecteur les signale par la mention « Transcription automatique,\n\
non relue ».\n{}",
                list(true)
            ),
            format!(
                "\nWARNING: subtitles not reviewed. The following subtitles were not signed off\n\
by a person: they come from automatic speech recognition (or its\n\
translation), corrected or not, and may be wrong. The player marks them\n\
\"Automatic transcript, not reviewed\".\n{}",
                list(false)
            ),
        )
    };
    format!(
        "{conference_fr}\nPaquet de formation pour : {institution_fr}\n\n\
Ouvrir index.html dans un navigateur (Chromium, Firefox, Edge). Aucune connexion\n\
n'est nécessaire : les pages, les extraits vidéo, les sous-titres et le guide\n\
sont dans ce dossier. Les vidéos se lisent aussi avec VLC (dossier media/), les\n\
sous-titres sont dans subtitles/.\n\
En séance : Page suivante / Page précédente (ou les flèches, ou une\n\
télécommande de présentation) changent d'étape, Espace lit ou met en pause,\n\
F met le lecteur en plein écran avec ses sous-titres, Échap en sort. « Vue\n\
présentateur » ouvre une seconde fenêtre avec les notes, pour l'écran du\n\
formateur. « Rechercher » trouve un passage dans toutes les transcriptions.\n\
Pour vérifier que rien ne manque : sha256sum -c SHA256SUMS\n\
Le même fichier ZIP s'importe dans une plateforme d'apprentissage (SCORM 1.2).\n{warning_fr}\n\
----\n\n\
{conference_en}\nTraining package for: {institution_en}\n\n\
Open index.html in a browser (Chromium, Firefox, Edge). No connection is\n\
needed: the pages, the video clips, the subtitles and the guide are in this\n\
folder. The videos also play in VLC (folder media/); the subtitles are in\n\
subtitles/.\n\
In a session: Page Down / Page Up (or the arrows, or a presentation clicker)\n\
change step, Space plays or pauses, F puts the player full screen with its\n\
subtitles, Esc leaves. \"Presenter view\" opens a second window with the\n\
notes, for the trainer's screen. \"Search\" finds a passage in every\n\
transcript.\n\
To check that nothing is missing: sha256sum -c SHA256SUMS\n\
The same ZIP file imports into a learning platform (SCORM 1.2).\n{warning_en}"
    )
}
