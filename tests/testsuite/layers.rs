//! The library's modules form layers: no module reaches, directly or
//! through others, back into itself, and the project model depends on
//! nothing but the base (diagnostics, time codes, files and their layout).
//! Read from the source: a `crate::module` path outside a comment is a
//! dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::harness::repo_root;

/// Each top-level module of the library and the top-level modules it uses.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = repo_root().join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walk(&src) {
        let relative = entry.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_string();
        // The binary and the crate root are not layers.
        if ["cmd", "main", "lib"].contains(&module.as_str()) {
            continue;
        }
        let uses = graph.entry(module.clone()).or_default();
        let text = std::fs::read_to_string(&entry).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    uses.insert(name);
                }
            }
        }
    }
    graph
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// A path from `from` back to itself, when there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in graph.get(last).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn modules_form_layers_without_cycles() {
    let graph = module_graph();
    assert!(graph.len() > 10, "{graph:?}");
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|module| cycle_through(&graph, module))
        .map(|cycle| cycle.join(" -> "))
        .collect();
    assert!(
        cycles.is_empty(),
        "modules that reach back into themselves:\n{}",
        cycles.join("\n")
    );

    let base: BTreeSet<String> = ["diagnostic", "timecode", "fs", "layout"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let project = &graph["project"];
    assert!(
        project.is_subset(&base),
        "the project model uses {:?} beyond the base",
        project.difference(&base).collect::<Vec<_>>()
    );
    for leaf in ["diagnostic", "timecode", "fs", "text", "clock", "interrupt"] {
        assert!(
            graph[leaf].iter().all(|m| base.contains(m) || m == "text"),
            "{leaf} uses {:?}",
            graph[leaf]
        );
    }
}
