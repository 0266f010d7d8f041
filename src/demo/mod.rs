//! The synthetic Shangluo (商洛市) ledger that reproduces the figures published for the first
//! half of 2023, kept as data (`resources/demo/shangluo-2023.json`) and loaded into an empty
//! database through the same service calls its demo accounts would make.
pub mod data;
mod load;
#[cfg(test)]
mod tests;

pub use load::{load, load_if_empty};

/// The data file, compiled in so the program needs no files of its own to start.
const SHANGLUO_2023: &str = include_str!("../../resources/demo/shangluo-2023.json");

/// The demo ledger. The file is part of the build and its tests parse it, so a failure here is
/// a broken build, reported with the path of the field that did not parse.
pub fn ledger() -> anyhow::Result<data::Ledger> {
    parse(SHANGLUO_2023)
}

fn parse(text: &str) -> anyhow::Result<data::Ledger> {
    let mut reader = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        anyhow::anyhow!(
            "resources/demo/shangluo-2023.json: {}: {}",
            e.path(),
            e.inner()
        )
    })
}
