//! Runs the real `confkit` binary on a copy of a fixture project.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A project in a temporary folder, and the last run of confkit on it.
pub(crate) struct ProjectTest {
    dir: tempfile::TempDir,
}

/// What a run printed and returned.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl ProjectTest {
    /// A copy of `tests/testsuite/<fixture>/` (without its `expected.*` files).
    pub(crate) fn from_fixture(fixture: &str) -> ProjectTest {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(fixture), dir.path());
        ProjectTest { dir }
    }

    /// An empty temporary folder.
    pub(crate) fn empty() -> ProjectTest {
        ProjectTest {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A project with only a bilingual conference in `confkit.toml`, then
    /// `extra` (more TOML tables) appended to it.
    pub(crate) fn conference(extra: &str) -> ProjectTest {
        let project = ProjectTest::empty();
        let config = format!(
            "[conference]\nid = \"t\"\ntitle.fr = \"T\"\ntitle.en = \"T\"\nstart = 2021-01-27\nend = 2021-01-27\nlanguages = [\"fr\", \"en\"]\n{extra}"
        );
        fs::write(project.path().join("confkit.toml"), config).unwrap();
        project
    }

    /// Writes `text` at `relative`, making its folder.
    pub(crate) fn write(&self, relative: &str, text: &str) -> &ProjectTest {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Copies the sample recording `sample` (from `assets/recordings/`) to `relative`.
    pub(crate) fn copy_sample(&self, sample: &str, relative: &str) -> &ProjectTest {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::copy(repo_root().join("assets/recordings").join(sample), path).unwrap();
        self
    }

    /// Copies the Niamey project's files or folders at `paths` (relative to
    /// the repository root) to the same place in this project.
    pub(crate) fn copy_from_repo(&self, paths: &[&str]) -> &ProjectTest {
        for relative in paths {
            let from = repo_root().join(relative);
            let to = self.path().join(relative);
            if from.is_dir() {
                copy_dir(&from, &to);
            } else {
                fs::create_dir_all(to.parent().unwrap()).unwrap();
                fs::copy(&from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
            }
        }
        self
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a small MP4 of `secs` seconds (test pattern, silence) at `relative`.
    pub(crate) fn with_silent_video(self, relative: &str, secs: u32) -> ProjectTest {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = crate::media::make_media(
            path.parent().unwrap(),
            "silent-video.mp4",
            &format!(
                "videotestsrc num-buffers={frames} ! video/x-raw,width=64,height=36,framerate=5/1 ! x264enc ! mux. \
                 audiotestsrc wave=silence samplesperbuffer=1600 num-buffers={frames} ! audio/x-raw,rate=8000,channels=1 ! voaacenc ! mux. \
                 mp4mux name=mux ! filesink location=OUT",
                frames = secs * 5
            ),
        );
        fs::rename(made, path).unwrap();
        self
    }

    /// Runs confkit with `args` inside the project folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Runs confkit with `args` inside the project folder, with `env` set.
    pub(crate) fn run_with_env(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let mut command = confkit();
        for (name, value) in env {
            command.env(name, value);
        }
        output_of(command.args(args).current_dir(self.path()))
    }
}

/// Runs confkit with `args` in `dir`, with colour off.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Run {
    output_of(confkit().args(args).current_dir(dir))
}

/// The confkit command, with colour off and no signing key from the
/// environment of whoever runs the tests.
fn confkit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_confkit"));
    command
        .env("NO_COLOR", "1")
        .env_remove("CONFKIT_SIGNING_KEY");
    command
}

fn output_of(command: &mut Command) -> Run {
    let output: Output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Compares `actual` with the snapshot `tests/testsuite/<name>`; with
/// `CONFKIT_BLESS=1` in the environment, rewrites the snapshot instead.
pub(crate) fn assert_snapshot(name: &str, actual: &str) {
    let path = fixtures().join(name);
    if std::env::var_os("CONFKIT_BLESS").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read snapshot {}: {e} (run with CONFKIT_BLESS=1 to write it)",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "output differs from snapshot {}\n--- expected\n{expected}\n--- actual\n{actual}\n(run with CONFKIT_BLESS=1 to accept the new output)",
            path.display()
        );
    }
}

/// The repository root, which is also the Niamey toolkit project.
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    repo_root().join("tests/testsuite")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with("expected.") {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every entry of a ZIP, with its bytes, in the ZIP's order.
pub(crate) fn entries(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            (entry.name().to_string(), bytes)
        })
        .collect()
}
