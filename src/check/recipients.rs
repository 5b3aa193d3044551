//! Checks of `assets/institutions.toml`: roles and the institutions that
//! receive packages.

use super::content::{unknown_chapter, unknown_module};
use super::{unknown_help, Checker, Wanted};
use crate::project::load::{GUIDE_FILE, INSTITUTIONS_FILE};
use crate::project::ChapterKind;

pub(super) fn check(c: &mut Checker<'_>) {
    let src = c.tk.files.institutions;
    c.unique_ids("role", c.tk.roles.iter().map(|r| (src, &r.id)));
    for role in &c.tk.roles {
        let owner = format!("role `{}`", role.id.as_str());
        c.localized(
            src,
            role.id.span(),
            &owner,
            "name",
            &role.name,
            Wanted::EveryLanguage,
        );
        c.localized(
            src,
            role.id.span(),
            &owner,
            "description",
            &role.description,
            Wanted::Optional,
        );
    }

    c.unique_ids(
        "institution",
        c.tk.institutions.iter().map(|i| (src, &i.id)),
    );
    for institution in &c.tk.institutions {
        let owner = format!("institution `{}`", institution.id.as_str());
        c.localized(
            src,
            institution.id.span(),
            &owner,
            "name",
            &institution.name,
            Wanted::EveryLanguage,
        );
        c.language_codes(src, &owner, &institution.languages);
        let role = c.tk.role(&institution.role);
        if role.is_none() {
            let help = unknown_help(
                &institution.role,
                c.tk.roles.iter().map(|r| r.id.as_str()),
                &format!("{INSTITUTIONS_FILE} (`[[role]]`)"),
            );
            c.error(
                src,
                institution.role.span(),
                format!("{owner}: unknown role `{}`", institution.role.as_str()),
                &help,
            );
        }

        match (&institution.country, &institution.body) {
            (Some(_), Some(body)) => c.error(
                src,
                body.span(),
                format!("{owner} has both a `country` and a `body`"),
                "a national institution has `country`, a regional or international one `body`; keep one",
            ),
            (None, None) => c.error(
                src,
                institution.id.span(),
                format!("{owner} has neither `country` nor `body`"),
                "add `country = \"<chapter id>\"` (e.g. `niger`) or `body = \"<chapter id>\"` (e.g. `cedeao`)",
            ),
            (Some(home), None) | (None, Some(home)) => {
                let wanted = if institution.country.is_some() { ChapterKind::Country } else { ChapterKind::Body };
                let field = if wanted == ChapterKind::Country { "country" } else { "body" };
                match c.tk.chapter(home) {
                    Some(chapter) if chapter.entry.kind != wanted => c.error(
                        src,
                        home.span(),
                        format!("{owner}: `{field} = \"{}\"` names a chapter that is not a {}", home.as_str(), if wanted == ChapterKind::Country { "country" } else { "body" }),
                        "use `country` for a state's chapter and `body` for an organisation's",
                    ),
                    Some(_) => {}
                    None if !c.tk.is_broken(GUIDE_FILE) => {
                        let help = unknown_help(home, c.tk.chapters.iter().map(|c| c.id()), GUIDE_FILE);
                        c.error(src, home.span(), format!("{owner}: unknown {field} `{}`", home.as_str()), &help);
                    }
                    None => {}
                }
            }
        }
        for module in &institution.modules {
            if c.tk.module(module).is_none() {
                unknown_module(c, src, &owner, module);
            }
        }
        for chapter in &institution.chapters {
            unknown_chapter(c, src, &owner, chapter);
        }
        let by_role =
            c.tk.modules
                .iter()
                .any(|m| m.file.audience.iter().any(|a| **a == *institution.role));
        if role.is_some() && !by_role && institution.modules.is_empty() && !c.tk.modules.is_empty()
        {
            c.warning(
                src,
                institution.id.span(),
                format!(
                    "{owner} receives no module: no module names role `{}` in its `audience`",
                    institution.role.as_str()
                ),
                "add the role to a module's `audience`, or list `modules` for this institution",
            );
        }
    }
}
