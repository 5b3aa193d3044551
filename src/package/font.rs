//! The packages' typeface: Noto Sans, regular and bold, under the SIL Open
//! Font License 1.1 (`site/fonts/OFL.txt`, shipped in every package). Each
//! package carries it cut to the characters its pages, subtitles and search
//! index use, plus the Latin letters a trainer may type into the search
//! box, as a style sheet with the faces inline: under `file://` a browser
//! may refuse a font file from another folder (Firefox does), never one
//! inside the style sheet.

use std::collections::BTreeSet;

use allsorts::binary::read::ReadScope;
use allsorts::font::read_cmap_subtable;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tables::cmap::Cmap;
use allsorts::tables::FontTableProvider;
use allsorts::tag;
use anyhow::{anyhow, Context, Result};
use base64::Engine as _;

const FAMILY: &str = "Noto Sans";
const FACES: [(u16, &[u8]); 2] = [
    (400, include_bytes!("site/fonts/NotoSans-Regular.ttf")),
    (700, include_bytes!("site/fonts/NotoSans-Bold.ttf")),
];

/// The licence, which goes with the font wherever it goes.
pub(super) const LICENCE: &str = include_str!("site/fonts/OFL.txt");

/// The characters every package's faces keep, used or not: what a search
/// may be typed with in French and English (Basic Latin, Latin-1, œ, the
/// typographer's quotes, dashes and spaces).
fn typed() -> impl Iterator<Item = char> {
    ('\u{20}'..='\u{7e}').chain('\u{a0}'..='\u{ff}').chain([
        'Œ', 'œ', 'Ÿ', '€', '…', '‘', '’', '“', '”', '–', '—', '\u{202f}',
    ])
}

/// `@font-face` rules for the package whose text is `texts`, each face cut
/// to the characters in `texts` and those anyone may type.
pub(super) fn stylesheet<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<String> {
    let mut used: BTreeSet<char> = typed().collect();
    for text in texts {
        used.extend(text.chars().filter(|c| !c.is_control()));
    }
    let mut css = format!(
        "/* {FAMILY}, SIL Open Font License 1.1 (assets/fonts/OFL.txt), cut to the characters of this package. */\n"
    );
    for (weight, font) in FACES {
        let cut = cut(font, &used).with_context(|| format!("cannot cut {FAMILY} {weight}"))?;
        css.push_str(&format!(
            "@font-face {{ font-family: \"{FAMILY}\"; font-style: normal; font-weight: {weight}; font-display: swap; \
             src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n",
            base64::engine::general_purpose::STANDARD.encode(cut)
        ));
    }
    Ok(css)
}

/// `font` with only the glyphs of `chars` (those it has), its hinting kept.
fn cut(font: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| anyhow!("{e}");
    let data = ReadScope::new(font)
        .read::<FontData<'_>>()
        .map_err(|e| fail(&e))?;
    let provider = data.table_provider(0).map_err(|e| fail(&e))?;
    let cmap_data = provider.read_table_data(tag::CMAP).map_err(|e| fail(&e))?;
    let cmap = ReadScope::new(&cmap_data)
        .read::<Cmap<'_>>()
        .map_err(|e| fail(&e))?;
    let (_, characters) = read_cmap_subtable(&cmap)
        .map_err(|e| fail(&e))?
        .context("the font maps no Unicode characters")?;
    // Glyph 0 (.notdef) always stays.
    let mut glyphs = BTreeSet::from([0u16]);
    for c in chars {
        if let Some(glyph) = characters.map_glyph(u32::from(*c)).map_err(|e| fail(&e))? {
            glyphs.insert(glyph);
        }
    }
    let glyphs: Vec<u16> = glyphs.into_iter().collect();
    let tables = vec![
        tag::CMAP,
        tag::HEAD,
        tag::HHEA,
        tag::HMTX,
        tag::MAXP,
        tag::NAME,
        tag::OS_2,
        tag::POST,
        tag::CVT,
        tag::FPGM,
        tag::PREP,
    ];
    subset(
        &provider,
        &glyphs,
        &SubsetProfile::Custom(tables),
        CmapTarget::Unicode,
    )
    .map_err(|e| fail(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph_count(font: &[u8]) -> u16 {
        let data = ReadScope::new(font).read::<FontData<'_>>().unwrap();
        let provider = data.table_provider(0).unwrap();
        let maxp = provider.read_table_data(tag::MAXP).unwrap();
        ReadScope::new(&maxp)
            .read::<allsorts::tables::MaxpTable>()
            .unwrap()
            .num_glyphs
    }

    #[test]
    fn a_face_keeps_the_characters_used_and_drops_the_rest() {
        let used: BTreeSet<char> = typed().chain("ƙɗ".chars()).collect();
        let regular = FACES[0].1;
        let small = cut(regular, &used).unwrap();
        assert!(
            small.len() * 5 < regular.len(),
            "{} of {} bytes",
            small.len(),
            regular.len()
        );
        // Every character asked for that the font has, and .notdef.
        let data = ReadScope::new(&small).read::<FontData<'_>>().unwrap();
        let provider = data.table_provider(0).unwrap();
        let cmap_data = provider.read_table_data(tag::CMAP).unwrap();
        let cmap = ReadScope::new(&cmap_data).read::<Cmap<'_>>().unwrap();
        let (_, map) = read_cmap_subtable(&cmap).unwrap().unwrap();
        for c in ['é', 'Œ', '’', 'ƙ', 'ɗ', '€'] {
            assert!(
                map.map_glyph(u32::from(c)).unwrap().is_some(),
                "`{c}` was cut"
            );
        }
        assert!(map.map_glyph(u32::from('Ж')).unwrap().is_none());
        assert!(glyph_count(&small) < glyph_count(regular) / 4);
    }

    #[test]
    fn the_stylesheet_has_both_weights_inline_and_names_the_licence() {
        let css = stylesheet(["Déclaration de Niamey"]).unwrap();
        assert!(css.contains("OFL.txt"));
        assert_eq!(css.matches("@font-face").count(), 2);
        assert!(css.contains("font-weight: 700"));
        assert!(css.contains("url(data:font/ttf;base64,"));
    }
}
