//! A small project with everything a package needs: the sample session with
//! the fictitious case (French floor, English interpretation track), two
//! clips, a module, Niger's chapter, one bilingual institution and
//! transcripts as a reviewer leaves them.

use crate::harness::ProjectTest;

/// The French subtitle shown from 0.3 s to 7.8 s into the interview clip.
pub(crate) const FRENCH_CUE: &str = "Les acteurs de l'identification en première ligne";
/// The English subtitle at the same time.
pub(crate) const ENGLISH_CUE: &str = "Front-line identification actors";

pub(crate) fn workshop() -> ProjectTest {
    let project = ProjectTest::conference("");
    project
        .copy_sample("day2-identification-interpreted.mp4", "assets/recordings/case.mp4")
        .write(
            "assets/recordings.toml",
            "[[recording]]\nid = \"case\"\nfile = \"assets/recordings/case.mp4\"\ntitle.fr = \"Cas\"\ntitle.en = \"Case\"\nlanguages = [\"fr\"]\nclearance = \"institutional\"\n\n[[recording.track]]\nindex = 0\nrole = \"floor\"\n\n[[recording.track]]\nindex = 1\nrole = \"interpretation\"\nlanguage = \"en\"\n",
        )
        .write(
            "assets/clips.toml",
            "[[clip]]\nid = \"interview\"\nrecording = \"case\"\nstart = \"00:00:03\"\nend = \"00:00:12\"\ntitle.fr = \"L'entretien\"\ntitle.en = \"The interview\"\nmodules = [\"identification\"]\nchapters = [\"niger\"]\nclearance = \"institutional\"\n\n\
[[clip]]\nid = \"case-study\"\nrecording = \"case\"\nstart = \"00:00:20\"\nend = \"00:00:36\"\ntitle.fr = \"Étude de cas\"\ntitle.en = \"Case study\"\nmodules = [\"identification\"]\nclearance = \"law-enforcement\"\n",
        )
        .write(
            "assets/modules/identification.toml",
            "title.fr = \"Identifier les victimes <aux> frontières\"\ntitle.en = \"Identifying victims at borders\"\naudience = [\"border-police\", \"social-affairs\"]\nchapters = [\"niger\"]\nobjectives.fr = [\"Connaître les techniques d'entretien.\"]\nobjectives.en = [\"Know the interview techniques.\"]\ntrainer_notes.fr = \"Insister sur la confidentialité.\"\ntrainer_notes.en = \"Stress confidentiality.\"\n\n\
[[step]]\nclip = \"interview\"\n\n[[step]]\nquestion.fr = \"Qui voit la victime en premier ?\"\nquestion.en = \"Who sees the victim first?\"\nminutes = 10\n\n[[step]]\nclip = \"case-study\"\n",
        )
        .write(
            "assets/guide.toml",
            "[[chapter]]\nid = \"niger\"\nkind = \"country\"\ncountry_code = \"NE\"\n",
        )
        .write(
            "assets/guide/niger.fr.md",
            "+++\ntitle = \"Niger\"\n[facts]\ncontact_structure = \"ANLTP-TIM\"\nmandate = { to_complete = \"le mandat\" }\n+++\n\nLe texte <script>alert('x')</script> du chapitre.\n",
        )
        .write(
            "assets/guide/niger.en.md",
            "+++\ntitle = \"Niger\"\n[facts]\ncontact_structure = \"ANLTP-TIM\"\nmandate = { to_complete = \"the mandate\" }\n+++\n\nThe chapter's text.\n",
        )
        .write(
            "assets/institutions.toml",
            "[[role]]\nid = \"border-police\"\nname.fr = \"Police des frontières\"\nname.en = \"Border police\"\nclearance = \"law-enforcement\"\n\n\
[[role]]\nid = \"social-affairs\"\nname.fr = \"Affaires sociales\"\nname.en = \"Social affairs\"\nclearance = \"institutional\"\n\n\
[[institution]]\nid = \"ne-police\"\nname.fr = \"Police des frontières du Niger\"\nname.en = \"Niger border police\"\ncountry = \"niger\"\nrole = \"border-police\"\nlanguages = [\"fr\", \"en\"]\n\n\
[[institution]]\nid = \"ne-social\"\nname.fr = \"Ministère des affaires sociales\"\nname.en = \"Ministry of social affairs\"\ncountry = \"niger\"\nrole = \"social-affairs\"\nlanguages = [\"fr\"]\n",
        )
        .write("assets/redactions.toml", "[[name]]\ntext = \"Amina Bello\"\n")
        .write(
            "confkit.toml",
            &(std::fs::read_to_string(project.path().join("confkit.toml")).unwrap()
                + "logo = \"assets/logo.png\"\n"),
        )
        .write(
            "transcripts/case.fr.vtt",
            &format!("WEBVTT\n\n00:00:03.262 --> 00:00:10.832\n{FRENCH_CUE}\n\n00:00:26.765 --> 00:00:33.184\nUne jeune femme, que nous\nappellerons Amina Bello.\n"),
        )
        .write(
            "transcripts/case.en.vtt",
            &format!("WEBVTT\n\n00:00:03.262 --> 00:00:10.832\n{ENGLISH_CUE}\n\n00:00:26.765 --> 00:00:34.182\nA young woman, whom we\nwill call Amina Bello.\n"),
        );
    std::fs::write(project.path().join("assets/logo.png"), logo()).unwrap();
    project
}

/// A 600x200 logo (blue, an orange band) whose PNG metadata names the
/// listed person, as a file from a shared drive might.
fn logo() -> Vec<u8> {
    let mut picture = image::RgbImage::from_pixel(600, 200, image::Rgb([11, 60, 111]));
    for x in 0..600 {
        for y in 150..180 {
            picture.put_pixel(x, y, image::Rgb([242, 169, 0]));
        }
    }
    let mut png = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // A tEXt chunk right after the 33 bytes of signature and header.
    let chunk = [b"tEXt".as_slice(), b"Author\0Amina Bello"].concat();
    let mut tagged = png[..33].to_vec();
    tagged.extend(((chunk.len() - 4) as u32).to_be_bytes());
    tagged.extend(&chunk);
    tagged.extend(crc32fast::hash(&chunk).to_be_bytes());
    tagged.extend(&png[33..]);
    tagged
}

/// The project with its clips cut and its packages built.
pub(crate) fn packaged() -> ProjectTest {
    let project = workshop();
    let clips = project.run(&["clips"]);
    assert_eq!(clips.code, 0, "{}", clips.stderr);
    let package = project.run(&["package"]);
    assert_eq!(package.code, 0, "{}", package.stderr);
    project
}
