//! confkit's integration tests: one binary, one module per feature, fixture
//! folders named after the module (`tests/testsuite/check/<case>/`).

mod bad_inputs;
mod bleeping;
mod browser;
mod check;
mod clips;
mod guide;
mod harness;
mod layers;
mod media;
mod models;
mod new_project;
mod niamey;
mod package;
mod player;
mod privacy;
mod profiles;
mod raw_zip;
mod rebuild;
mod redaction;
mod resume;
mod review;
mod review_demo;
mod signing;
mod source_tags;
mod standards;
mod trainer;
mod transcribe;
mod translate;
mod verify;
mod volumes;
mod workshop;
