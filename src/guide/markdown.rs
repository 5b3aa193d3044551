//! Markdown to HTML for pages that are shipped: raw HTML in the source is
//! shown as text, never passed through; links keep only web, mail and
//! relative targets; every text is redacted.

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag};

use crate::privacy::redact::Redactor;

/// The HTML of `markdown`, safe to put in a page.
pub fn to_html(markdown: &str, redactor: &Redactor) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML is text: a `<script>` in a chapter is shown, not run.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(redacted(raw, redactor)),
        Event::Text(text) => Event::Text(redacted(text, redactor)),
        Event::Code(code) => Event::Code(redacted(code, redactor)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title: redacted(title, redactor),
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type: if is_safe(&dest_url) {
                link_type
            } else {
                LinkType::Inline
            },
            dest_url: safe_url(dest_url),
            title: redacted(title, redactor),
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn redacted<'a>(text: CowStr<'a>, redactor: &Redactor) -> CowStr<'a> {
    if redactor.find(&text).is_empty() {
        text
    } else {
        CowStr::from(redactor.redact(&text))
    }
}

/// Web, mail and relative links only: a `javascript:` or `data:` link becomes `#`.
fn is_safe(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _))
            if !scheme.contains('/') && !scheme.contains('#') && !scheme.contains('?') =>
        {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe(&url) {
        url
    } else {
        CowStr::from("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Located, RedactedName, RedactionsFile};

    fn redactor() -> Redactor {
        Redactor::new(&RedactionsFile {
            names: vec![RedactedName {
                text: Located::new("Amina Bello".into(), 0..0),
                reason: None,
            }],
            ..RedactionsFile::default()
        })
        .unwrap()
    }

    #[test]
    fn raw_html_and_scripts_are_shown_as_text() {
        let html = to_html(
            "Texte <script>alert('x')</script> et <b onclick=\"x()\">gras</b>.\n\n<div>bloc</div>\n",
            &redactor(),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;div&gt;bloc&lt;/div&gt;"), "{html}");
    }

    #[test]
    fn links_are_kept_safe_and_text_redacted() {
        let html = to_html(
            "[site](https://www.iom.int) [x](javascript:alert(1)) [rel](niger.html#faits) Amina Bello **témoigne**",
            &redactor(),
        );
        assert!(html.contains("href=\"https://www.iom.int\""), "{html}");
        assert!(html.contains("href=\"#\""), "{html}");
        assert!(html.contains("href=\"niger.html#faits\""), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("Amina"), "{html}");
        assert!(html.contains("<strong>témoigne</strong>"), "{html}");
    }
}
