//! `confkit new DIR`: a project that checks clean, in a folder that was empty.

use crate::harness::{run_in, ProjectTest};

#[test]
fn a_new_project_checks_clean() {
    let parent = ProjectTest::empty();
    let run = run_in(parent.path(), &["new", "regional-workshop"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = parent.path().join("regional-workshop");
    for file in [
        "confkit.toml",
        "assets/clips.toml",
        "assets/guide.toml",
        "assets/institutions.toml",
        "assets/modules/README.md",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let config = std::fs::read_to_string(dir.join("confkit.toml")).unwrap();
    assert!(config.contains("id = \"regional-workshop\""), "{config}");

    let check = run_in(parent.path(), &["check", "--project", "regional-workshop"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr, "regional-workshop: no problems found\n");
}

#[test]
fn new_never_writes_into_a_folder_with_files() {
    let dir = ProjectTest::empty();
    std::fs::write(dir.path().join("confkit.toml"), "# mine\n").unwrap();
    let run = run_in(dir.path(), &["new", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("confkit.toml")).unwrap(),
        "# mine\n"
    );
}
