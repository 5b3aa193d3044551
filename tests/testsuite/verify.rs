//! `confkit verify` on hostile ZIPs: each one is refused with a message that
//! names the entry, without unpacking it, without waiting on a pipe, and
//! without inflating a bomb into memory.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{ProjectTest, Run};
use crate::raw_zip::{described, package_files, stored, zip_from_parts, zip_of, RawEntry};

/// Writes `bytes` as `name` in a new folder and runs `confkit verify` on it.
fn verify_bytes(name: &str, bytes: &[u8]) -> Run {
    let project = ProjectTest::empty();
    std::fs::write(project.path().join(name), bytes).unwrap();
    project.run(&["verify", name])
}

fn assert_refused(run: &Run, expected: &str) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(expected), "{}", run.stderr);
}

#[test]
fn the_hand_made_package_passes() {
    // The hostile ZIPs below are made from it: each fails for its own reason.
    let run = verify_bytes(
        "ok.zip",
        &zip_of(&stored(&described(&package_files(), &[]))),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "ok.zip: ok, not signed\n");
}

#[test]
fn a_name_given_twice_is_refused() {
    // `unzip` writes both and keeps the last; the `zip` crate keeps one
    // without a word. The first matches the checksums, the second does not.
    let mut entries = stored(&described(&package_files(), &[]));
    entries.push(RawEntry::stored(
        "index.html",
        b"<script>location='https://example.org/'</script>",
    ));
    assert_refused(
        &verify_bytes("twice.zip", &zip_of(&entries)),
        "`index.html` is in the ZIP twice",
    );
}

#[test]
fn names_that_collide_on_windows_and_macos_are_refused() {
    let mut entries = stored(&described(&package_files(), &[]));
    entries.push(RawEntry::stored("INDEX.html", b"<p>other</p>"));
    assert_refused(
        &verify_bytes("case.zip", &zip_of(&entries)),
        "`INDEX.html` and `index.html` would be the same file on Windows and macOS",
    );
}

#[test]
fn a_symbolic_link_is_refused() {
    // Listed in the manifest with the right checksum: only its mode is wrong.
    let mut files = package_files();
    files.push(("media/clip.mp4".into(), b"/etc/passwd".to_vec()));
    let mut entries = stored(&described(&files, &[]));
    let link = entries
        .iter_mut()
        .find(|e| e.name == "media/clip.mp4")
        .unwrap();
    link.mode = 0o120_777;
    assert_refused(
        &verify_bytes("link.zip", &zip_of(&entries)),
        "`media/clip.mp4` is a symbolic link (mode 120777): a package holds only files and folders",
    );
}

#[test]
fn a_local_header_that_names_another_file_is_refused() {
    // Tools that read a ZIP as a stream trust the local header's name.
    let mut entries = stored(&described(&package_files(), &[]));
    entries[0].local_name = Some("../../.bashrc".into());
    assert_refused(
        &verify_bytes("local.zip", &zip_of(&entries)),
        "`README.txt` is named `../../.bashrc` in its local header",
    );
}

#[test]
fn entries_that_share_bytes_are_refused() {
    // `README.txt`'s stored bytes hold `index.html`'s whole local record:
    // every name, size and CRC is right, but the two overlap.
    let files = described(&package_files(), &[]);
    let mut entries = stored(&files);
    let index = entries.iter().position(|e| e.name == "index.html").unwrap();
    let inner = entries.remove(index);
    let readme = entries.iter().position(|e| e.name == "README.txt").unwrap();
    let mut outer = entries.remove(readme);
    let inner_offset = 30 + outer.name.len() + outer.data.len();
    outer.data.extend(inner.local_record());
    outer.size = outer.data.len() as u64;
    outer.crc = crc32fast::hash(&outer.data);
    let mut locals = outer.local_record();
    let mut placed = vec![(outer, 0), (inner, inner_offset)];
    for entry in entries {
        placed.push((entry.clone(), locals.len()));
        locals.extend(entry.local_record());
    }
    assert_refused(
        &verify_bytes("overlap.zip", &zip_from_parts(locals, &placed)),
        "`index.html` overlaps `README.txt` in the file",
    );
}

#[test]
fn a_fifo_a_folder_or_a_device_given_as_the_zip_is_refused_at_once() {
    let project = ProjectTest::empty();
    let fifo = project.path().join("package.zip");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_confkit"))
        .args(["verify", "package.zip"])
        .current_dir(project.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Opening a FIFO waits for a writer: verify must not open it.
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("verify waited on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("`package.zip` is a FIFO (a named pipe), not a ZIP file"),
        "{stderr}"
    );
    std::fs::create_dir(project.path().join("folder.zip")).unwrap();
    let run = project.run(&["verify", "folder.zip", "/dev/zero"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`folder.zip` is a folder, not a ZIP file"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`/dev/zero` is a device, not a ZIP file"),
        "{}",
        run.stderr
    );
}

/// One GiB of zeros, deflated (about 1 MB), with its CRC-32.
fn gibibyte_of_zeros() -> (Vec<u8>, u32) {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    let mut crc = crc32fast::Hasher::new();
    let chunk = vec![0; 1 << 20];
    for _ in 0..1024 {
        encoder.write_all(&chunk).unwrap();
        crc.update(&chunk);
    }
    (encoder.finish().unwrap(), crc.finalize())
}

/// Runs confkit in `dir` under GNU time; also its peak resident memory in
/// bytes and how long it took. (The peak that `wait4` gives a parent that
/// spawned confkit itself includes the parent's own, since the child starts
/// as a `vfork` of it.)
fn run_measured(dir: &Path, args: &[&str]) -> (Run, u64, Duration) {
    let peak = dir.join("peak.txt");
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&peak)
        .arg(env!("CARGO_BIN_EXE_confkit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("/usr/bin/time (Debian's `time`, which scripts/setup installs)");
    let took = started.elapsed();
    let peak = std::fs::read_to_string(peak).unwrap();
    // The last line; a failing command's exit status comes before it.
    let kib: u64 = peak.lines().last().unwrap().trim().parse().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    (run, kib * 1024, took)
}

#[test]
fn a_zip_bomb_is_hashed_as_a_stream_and_stopped_at_its_declared_size() {
    let (deflated, crc) = gibibyte_of_zeros();
    let project = ProjectTest::empty();
    let bomb = |declared: u64| {
        let mut entry = RawEntry::stored("media/big.mp4", &[]);
        (entry.method, entry.data, entry.size, entry.crc) = (8, deflated.clone(), declared, crc);
        entry
    };
    let wrong = "0".repeat(64);

    // Listed with its true size, and a checksum it does not have: it is
    // read to its end, a megabyte of memory at a time.
    let claimed = [("media/big.mp4", 1 << 30, wrong.as_str())];
    let mut entries = stored(&described(&package_files(), &claimed));
    entries.push(bomb(1 << 30));
    let zip = zip_of(&entries);
    assert!(zip.len() < 1_200_000, "{} bytes", zip.len());
    std::fs::write(project.path().join("bomb.zip"), zip).unwrap();
    let (run, peak, took) = run_measured(project.path(), &["verify", "bomb.zip"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`media/big.mp4` does not match its checksum in the manifest"),
        "{}",
        run.stderr
    );
    eprintln!(
        "verify of a 1 GiB entry: peak {} MB, {took:?}",
        peak / 1_000_000
    );
    assert!(peak < 100_000_000, "verify used {peak} bytes");
    assert!(took < Duration::from_secs(60), "verify took {took:?}");

    // Declared (and listed) as one MiB: it is stopped after one MiB.
    let claimed = [("media/big.mp4", 1 << 20, wrong.as_str())];
    let mut entries = stored(&described(&package_files(), &claimed));
    entries.push(bomb(1 << 20));
    std::fs::write(project.path().join("lying.zip"), zip_of(&entries)).unwrap();
    let (run, peak, took) = run_measured(project.path(), &["verify", "lying.zip"]);
    assert_refused(
        &run,
        "`media/big.mp4` cannot be read: it inflates beyond the 1048576 bytes its header declares",
    );
    assert!(peak < 100_000_000, "verify used {peak} bytes");
    assert!(took < Duration::from_secs(10), "verify took {took:?}");
}
