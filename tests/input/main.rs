//! Input: ConvertTo-Json, Export-Clixml and PKCS#12 importers, hostile files, the external
//! corpora, and the fuzzers' kept corpus.
//! One test binary (trippy's tests/sim shape): each file below is a module, so the crate is
//! linked once for all of them.

#[path = "../support/mod.rs"]
mod support;

mod budgets;
mod corpus_certs;
mod corpus_chains;
mod corpus_names;
mod fuzz_corpus;
mod hostile;
mod import_clixml;
mod import_json;
mod import_pkcs12;
mod import_robustness;
mod onprem_import;
mod orgconfig_import;
