//! Signed packages: `confkit key new` makes a key pair, `confkit package
//! --sign` (or `CONFKIT_SIGNING_KEY`) signs, and `confkit verify --key`
//! accepts a package only when it was signed with that key and not changed
//! since. The project has a guide chapter and no clips, so that packages
//! are made in a moment.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::harness::{entries, ProjectTest};

/// A project with one chapter and one institution, and a folder outside it
/// for keys.
fn project_and_keys() -> (ProjectTest, tempfile::TempDir) {
    let project = ProjectTest::conference("");
    project
        .write(
            "assets/guide.toml",
            "[[chapter]]\nid = \"niger\"\nkind = \"country\"\ncountry_code = \"NE\"\n",
        )
        .write(
            "assets/guide/niger.fr.md",
            "+++\ntitle = \"Niger\"\n+++\n\nLe texte.\n",
        )
        .write(
            "assets/guide/niger.en.md",
            "+++\ntitle = \"Niger\"\n+++\n\nThe text.\n",
        )
        .write(
            "assets/institutions.toml",
            "[[role]]\nid = \"border-police\"\nname.fr = \"Police des frontières\"\nname.en = \"Border police\"\nclearance = \"law-enforcement\"\n\n\
[[institution]]\nid = \"ne-police\"\nname.fr = \"Police des frontières du Niger\"\nname.en = \"Niger border police\"\ncountry = \"niger\"\nrole = \"border-police\"\nlanguages = [\"fr\", \"en\"]\n",
        );
    (project, tempfile::tempdir().unwrap())
}

/// Makes the key pair `name` in `dir`: the secret and the public key files.
fn new_key(project: &ProjectTest, dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let out = dir.to_str().unwrap();
    let run = project.run(&["key", "new", "--name", name, "--out", out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (
        dir.join(format!("{name}.key")),
        dir.join(format!("{name}.pub")),
    )
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The package with `index.html` changed (and, with `drop_signature`,
/// without its signature, which `imsmanifest.xml` stops listing), and
/// every checksum made again to match, as someone would who wants it to
/// pass for the original.
fn forged(package: &[(String, Vec<u8>)], drop_signature: bool) -> Vec<(String, Vec<u8>)> {
    let hex = |bytes: &[u8]| format!("{:x}", Sha256::digest(bytes));
    let mut files = package.to_vec();
    let page = b"<!doctype html><p>Send your reports to forged@example.org</p>\n".to_vec();
    files.iter_mut().find(|(n, _)| n == "index.html").unwrap().1 = page;
    if drop_signature {
        files.retain(|(n, _)| n != "SIGNATURE");
        let (_, ims) = files
            .iter_mut()
            .find(|(n, _)| n == "imsmanifest.xml")
            .unwrap();
        *ims = String::from_utf8(ims.clone())
            .unwrap()
            .replace("      <file href=\"SIGNATURE\"/>\n", "")
            .into_bytes();
    }
    let bytes_of = |files: &[(String, Vec<u8>)], name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
    };
    let mut json: serde_json::Value =
        serde_json::from_slice(&bytes_of(&files, "manifest.json").unwrap()).unwrap();
    for file in json["files"].as_array_mut().unwrap() {
        let bytes = bytes_of(&files, file["path"].as_str().unwrap()).unwrap();
        file["size"] = bytes.len().into();
        file["sha256"] = hex(&bytes).into();
    }
    let manifest = serde_json::to_vec_pretty(&json).unwrap();
    files
        .iter_mut()
        .find(|(n, _)| n == "manifest.json")
        .unwrap()
        .1 = manifest;
    let sums: String = String::from_utf8(bytes_of(&files, "SHA256SUMS").unwrap())
        .unwrap()
        .lines()
        .map(|line| {
            let (_, name) = line.split_once("  ").unwrap();
            format!("{}  {name}\n", hex(&bytes_of(&files, name).unwrap()))
        })
        .collect();
    files.iter_mut().find(|(n, _)| n == "SHA256SUMS").unwrap().1 = sums.into_bytes();
    files
}

#[test]
fn a_signed_package_passes_with_its_key_and_fails_with_another() {
    let (project, keys) = project_and_keys();
    let (secret, public) = new_key(&project, keys.path(), "iom-niger");
    let (_, other) = new_key(&project, keys.path(), "someone-else");
    let package = project.run(&["package", "--sign", secret.to_str().unwrap()]);
    assert_eq!(package.code, 0, "{}", package.stderr);
    let zip = project.path().join("packages/ne-police.zip");
    let names: Vec<String> = entries(&zip).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"SIGNATURE".to_string()), "{names:?}");

    let run = project.run(&[
        "verify",
        "--key",
        public.to_str().unwrap(),
        "packages/ne-police.zip",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("packages/ne-police.zip: ok, signed with `iom-niger` (key id "),
        "{}",
        run.stdout
    );
    let run = project.run(&["verify", "packages/ne-police.zip"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("not checked against a key"),
        "{}",
        run.stdout
    );
    let run = project.run(&[
        "verify",
        "--key",
        other.to_str().unwrap(),
        "packages/ne-police.zip",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("not with `someone-else`"),
        "{}",
        run.stderr
    );

    // Signed from scratch again, through the environment: the same bytes.
    let first = std::fs::read(&zip).unwrap();
    std::fs::remove_dir_all(project.path().join("packages")).unwrap();
    std::fs::remove_dir_all(project.path().join(".confkit/packages")).unwrap();
    let again = project.run_with_env(&["package"], &[("CONFKIT_SIGNING_KEY", &secret)]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        std::fs::read(&zip).unwrap() == first,
        "the signed package changed"
    );
    // Built without the key, it is made again, unsigned.
    let unsigned = project.run(&["package"]);
    assert!(
        unsigned.stderr.contains("packages: 1 made"),
        "{}",
        unsigned.stderr
    );
    let run = project.run(&[
        "verify",
        "--key",
        public.to_str().unwrap(),
        "packages/ne-police.zip",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("the package is not signed"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_forged_package_fails_verify_with_the_key() {
    let (project, keys) = project_and_keys();
    let (secret, public) = new_key(&project, keys.path(), "iom-niger");
    let package = project.run(&["package", "--sign", secret.to_str().unwrap()]);
    assert_eq!(package.code, 0, "{}", package.stderr);
    let original = entries(&project.path().join("packages/ne-police.zip"));
    let public = public.to_str().unwrap();

    // Every checksum matches the changed page; the signature does not.
    write_zip(
        &project.path().join("forged.zip"),
        &forged(&original, false),
    );
    for args in [
        vec!["verify", "forged.zip"],
        vec!["verify", "--key", public, "forged.zip"],
    ] {
        let run = project.run(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains("changed after it was signed"),
            "{args:?}: {}",
            run.stderr
        );
    }

    // Without its signature, it passes for an unsigned package, until a key is asked for.
    write_zip(
        &project.path().join("unsigned.zip"),
        &forged(&original, true),
    );
    let run = project.run(&["verify", "unsigned.zip"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "unsigned.zip: ok, not signed\n");
    let run = project.run(&["verify", "--key", public, "unsigned.zip"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the package is not signed, and `iom-niger` (key id "),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_signing_key_must_stay_private_and_outside_the_project() {
    use std::os::unix::fs::PermissionsExt;

    let (project, keys) = project_and_keys();
    let (secret, _) = new_key(&project, keys.path(), "iom-niger");
    let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let again = project.run(&[
        "key",
        "new",
        "--name",
        "iom-niger",
        "--out",
        keys.path().to_str().unwrap(),
    ]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    // Inside the project folder, it would be committed and shared.
    let inside = project.path().join("iom-niger.key");
    std::fs::copy(&secret, &inside).unwrap();
    std::fs::set_permissions(&inside, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = project.run(&["package", "--sign", "iom-niger.key"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is inside the project folder"),
        "{}",
        run.stderr
    );

    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = project.run_with_env(&["package"], &[("CONFKIT_SIGNING_KEY", &secret)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("can be read by other users"),
        "{}",
        run.stderr
    );
    assert!(!project.path().join("packages").exists());
}
