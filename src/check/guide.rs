//! Checks of the guide: `assets/guide.toml` and each chapter's texts.

use super::{language_name, list, unknown_help, Checker, Wanted};
use crate::project::load::{GUIDE_DIR, GUIDE_FILE};
use crate::project::{ChapterKind, FACT_FIELDS};

pub(super) fn check(c: &mut Checker<'_>) {
    let src = c.tk.files.guide;
    c.unique_ids(
        "chapter",
        c.tk.chapters.iter().map(|ch| (src, &ch.entry.id)),
    );
    c.localized(
        src,
        0..0,
        "the guide",
        "title",
        &c.tk.guide_title,
        Wanted::Optional,
    );
    let languages = c.tk.languages().to_vec();
    for chapter in &c.tk.chapters {
        let entry = &chapter.entry;
        let owner = format!("chapter `{}`", entry.id.as_str());
        c.localized(
            src,
            entry.id.span(),
            &owner,
            "note",
            &entry.note,
            Wanted::Optional,
        );
        match (entry.kind, &entry.country_code) {
            (ChapterKind::Country, None) => c.warning(
                src,
                entry.id.span(),
                format!("{owner} is a country but has no `country_code`"),
                "add its ISO 3166-1 alpha-2 code, e.g. `country_code = \"NE\"`",
            ),
            (ChapterKind::Country, Some(code)) => {
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    c.error(
                        src,
                        code.span(),
                        format!(
                            "{owner}: `{}` is not an ISO 3166-1 alpha-2 code",
                            code.as_str()
                        ),
                        "write two upper-case letters, e.g. `NE` for Niger",
                    );
                }
            }
            (ChapterKind::Body, Some(code)) => c.error(
                src,
                code.span(),
                format!("{owner} is a body but has a `country_code`"),
                "remove `country_code`, or set `kind = \"country\"`",
            ),
            (ChapterKind::Body, None) => {}
        }
        for neighbour in &entry.neighbours {
            match c.tk.chapter(neighbour) {
                None => {
                    let help =
                        unknown_help(neighbour, c.tk.chapters.iter().map(|c| c.id()), GUIDE_FILE);
                    c.error(
                        src,
                        neighbour.span(),
                        format!("{owner}: unknown neighbour `{}`", neighbour.as_str()),
                        &help,
                    );
                }
                Some(n) if n.entry.kind != ChapterKind::Country => c.error(
                    src,
                    neighbour.span(),
                    format!(
                        "{owner}: neighbour `{}` is a body, not a country",
                        neighbour.as_str()
                    ),
                    "list countries only; regional bodies go to every institution of the region",
                ),
                Some(_) if neighbour.as_str() == entry.id.as_str() => c.error(
                    src,
                    neighbour.span(),
                    format!("{owner} lists itself as a neighbour"),
                    "remove it",
                ),
                Some(_) => {}
            }
        }

        if chapter.texts.is_empty() {
            let lang = languages.first().map_or("fr", String::as_str);
            c.error(
                src,
                entry.id.span(),
                format!("{owner} has no text"),
                &format!("write `{GUIDE_DIR}/{}.{lang}.md` (front matter with `title` and `[facts]`, then Markdown)", entry.id.as_str()),
            );
            continue;
        }
        let missing: Vec<&String> = languages
            .iter()
            .filter(|l| chapter.text(l).is_none())
            .collect();
        for lang in missing {
            c.warning(
                src,
                entry.id.span(),
                format!("{owner} has no {} text", language_name(lang)),
                &format!("write `{GUIDE_DIR}/{}.{lang}.md`; until then packages in that language show another", entry.id.as_str()),
            );
        }
        for text in &chapter.texts {
            let src = Some(text.source);
            if !languages.is_empty() && !languages.contains(&text.language) {
                c.error(
                    src,
                    0..0,
                    format!("`{}` is not a conference language", text.language),
                    &format!(
                        "name the file `<chapter>.<language>.md` with one of {}",
                        list(&languages)
                    ),
                );
            }
            if text.front.title.trim().is_empty() {
                c.error(
                    src,
                    0..0,
                    format!(
                        "{owner}: the {} title is empty",
                        language_name(&text.language)
                    ),
                    "write the country's or body's name in `title`",
                );
            }
            let absent: Vec<&str> = text
                .front
                .facts
                .fields()
                .iter()
                .filter(|(_, value)| value.is_none())
                .map(|(name, _)| *name)
                .collect();
            if !absent.is_empty() {
                c.warning(
                    src,
                    0..0,
                    format!("{owner}: the {} fact sheet has no {}", language_name(&text.language), list(&absent)),
                    "write each field, or mark it `{ to_complete = \"what is needed\" }` so the validation meeting sees it",
                );
            }
            debug_assert_eq!(FACT_FIELDS.len(), 7);
        }
    }
}
