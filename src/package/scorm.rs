//! SCORM 1.2: `imsmanifest.xml`, so that the same ZIP imports into a
//! learning platform, with one SCO per module (the platform tracks each
//! module on its own) and the home page as a launchable asset, plus the
//! IMS and ADL schema files its `xsi:schemaLocation` names, which ADL's
//! conformance test looks for at the root of the package.

use crate::privacy::redact::Redactor;
use crate::project::{Institution, Toolkit};
use crate::selection::Selection;
use crate::translate::xliff::escape;

/// The schema files every SCORM 1.2 package carries at its root, as IMS
/// and ADL published them.
pub const SCHEMAS: [(&str, &str); 3] = [
    (
        "imscp_rootv1p1p2.xsd",
        include_str!("scorm/imscp_rootv1p1p2.xsd"),
    ),
    (
        "adlcp_rootv1p2.xsd",
        include_str!("scorm/adlcp_rootv1p2.xsd"),
    ),
    ("ims_xml.xsd", include_str!("scorm/ims_xml.xsd")),
];

/// The longest title the IMS content packaging schema allows, in
/// characters.
const TITLE_MAX: usize = 200;

/// One module as the platform shows and launches it.
pub struct Sco {
    /// The module's id.
    pub id: String,
    /// Its title, in the package's main language.
    pub title: String,
    /// Its page, from the package's root.
    pub href: String,
}

/// What the manifest describes.
pub struct Course<'a> {
    /// The manifest's identifier.
    pub identifier: &'a str,
    /// The course's title: the conference and the institution.
    pub title: &'a str,
    /// The home page, from the package's root.
    pub home: &'a str,
    /// The home page's title.
    pub home_title: &'a str,
    /// The modules, in the order they are taught.
    pub modules: &'a [Sco],
    /// Every file of the package, shared by the modules' pages.
    pub files: &'a [String],
}

/// `imsmanifest.xml` of the package of `institution` made of `selection`,
/// listing `files`: titles in the package's main language, through the
/// redaction list.
pub fn package_manifest(
    toolkit: &Toolkit,
    institution: &Institution,
    selection: &Selection<'_>,
    redactor: &Redactor,
    files: &[String],
) -> String {
    let main = &selection.languages[0];
    let ui = super::labels::labels(main);
    let text = |text: Option<&String>| redactor.redact(text.map_or("", String::as_str));
    let conference = toolkit
        .config
        .as_ref()
        .and_then(|c| c.conference.title.get_or_any(main));
    let modules: Vec<Sco> = selection
        .modules
        .iter()
        .map(|module| Sco {
            id: module.id.clone(),
            title: text(module.file.title.get_or_any(main)),
            href: super::site::module_name(&module.id, main),
        })
        .collect();
    ims_manifest(&Course {
        identifier: &format!("confkit-{}", institution.id.as_str()),
        title: &format!(
            "{} · {}",
            text(conference),
            text(institution.name.get_or_any(main))
        ),
        home: "index.html",
        home_title: &format!("{} · {}", ui.modules, ui.guide),
        modules: &modules,
        files,
    })
}

/// `imsmanifest.xml` for `course`.
pub fn ims_manifest(course: &Course<'_>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<manifest identifier=\"{}\" version=\"1.0\"\n  xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n  xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"\n  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n  xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\">\n",
        escape(&identifier(course.identifier))
    ));
    out.push_str("  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n  </metadata>\n");
    out.push_str(
        "  <organizations default=\"course\">\n    <organization identifier=\"course\">\n",
    );
    out.push_str(&format!("      <title>{}</title>\n", title(course.title)));
    out.push_str(&format!(
        "      <item identifier=\"item-home\" identifierref=\"home\" isvisible=\"true\">\n        <title>{}</title>\n      </item>\n",
        title(course.home_title)
    ));
    for module in course.modules {
        let id = identifier(&module.id);
        out.push_str(&format!(
            "      <item identifier=\"item-{id}\" identifierref=\"sco-{id}\" isvisible=\"true\">\n        <title>{}</title>\n      </item>\n",
            title(&module.title)
        ));
    }
    out.push_str("    </organization>\n  </organizations>\n  <resources>\n");
    out.push_str(&format!(
        "    <resource identifier=\"home\" type=\"webcontent\" adlcp:scormtype=\"asset\" href=\"{0}\">\n      <file href=\"{0}\"/>\n      <dependency identifierref=\"shared\"/>\n    </resource>\n",
        escape(course.home)
    ));
    for module in course.modules {
        out.push_str(&format!(
            "    <resource identifier=\"sco-{}\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{1}\">\n      <file href=\"{1}\"/>\n      <dependency identifierref=\"shared\"/>\n    </resource>\n",
            identifier(&module.id),
            escape(&module.href)
        ));
    }
    out.push_str(
        "    <resource identifier=\"shared\" type=\"webcontent\" adlcp:scormtype=\"asset\">\n",
    );
    for file in course.files {
        out.push_str(&format!("      <file href=\"{}\"/>\n", escape(file)));
    }
    out.push_str("    </resource>\n  </resources>\n</manifest>\n");
    out
}

/// `text` escaped, cut to the schema's limit at a word where it runs over.
fn title(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= TITLE_MAX {
        return escape(text);
    }
    let kept: String = text.chars().take(TITLE_MAX - 1).collect();
    let kept = match kept.rfind(char::is_whitespace) {
        Some(space) if space > TITLE_MAX / 2 => &kept[..space],
        _ => kept.as_str(),
    };
    escape(&format!(
        "{}…",
        kept.trim_end_matches([' ', ',', ';', ':', '·', '-'])
    ))
}

/// An `xsd:ID` made of `id`: project ids may start with a digit, which an
/// XML name may not.
fn identifier(id: &str) -> String {
    if id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.to_string()
    } else {
        format!("_{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(title: &str, modules: &[Sco]) -> String {
        ims_manifest(&Course {
            identifier: "confkit-niger-police",
            title,
            home: "index.html",
            home_title: "Accueil",
            modules,
            files: &["index.html".into(), "modules/a.fr.html".into()],
        })
    }

    #[test]
    fn each_module_is_a_sco_in_order_after_the_home_page() {
        let modules = [
            Sco {
                id: "2-frontieres".into(),
                title: "Frontières".into(),
                href: "modules/2-frontieres.fr.html".into(),
            },
            Sco {
                id: "identification".into(),
                title: "Identifier & orienter".into(),
                href: "modules/identification.fr.html".into(),
            },
        ];
        let xml = course("Conférence · Police", &modules);
        let home = xml.find("identifierref=\"home\"").unwrap();
        let first = xml.find("identifierref=\"sco-_2-frontieres\"").unwrap();
        let second = xml.find("identifierref=\"sco-identification\"").unwrap();
        assert!(home < first && first < second);
        assert!(xml.contains("<title>Identifier &amp; orienter</title>"));
        assert!(xml.contains(
            "identifier=\"sco-identification\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"modules/identification.fr.html\""
        ));
        assert!(xml.contains("identifier=\"home\" type=\"webcontent\" adlcp:scormtype=\"asset\""));
        assert_eq!(
            xml.matches("<dependency identifierref=\"shared\"/>")
                .count(),
            3
        );
    }

    #[test]
    fn long_titles_are_cut_at_a_word_within_the_limit() {
        let long =
            "Conférence régionale sur la traite des personnes et le trafic illicite de migrants "
                .repeat(4);
        let cut = title(&long);
        assert!(cut.chars().count() <= TITLE_MAX, "{}", cut.chars().count());
        assert!(cut.ends_with("…"));
        assert!(!cut.ends_with(" …"));
        assert_eq!(title("  Court  "), "Court");
        // Escaping is counted after the cut: the schema counts characters
        // of the value, not of its escaped form.
        let amp = "&".repeat(250);
        assert_eq!(title(&amp).matches("&amp;").count(), TITLE_MAX - 1);
    }
}
