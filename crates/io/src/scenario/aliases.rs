//! The expanded size of a scenario's YAML: what it is once every alias (`*name`) is
//! replaced by the node its anchor (`&name`) marks. A few kilobytes of aliases of aliases
//! expand into gigabytes ("billion laughs"), and serde_yaml replays each alias in full; so
//! before the scenario is read, one pass walks the document as serde_yaml expands it,
//! building nothing, and stops once the expansion passes [`EXPANDED_LIMIT`]. Time and
//! memory stay bounded by the limit, whatever the aliases multiply.
//!
//! The weight of a document is one per node plus the bytes of its scalars. Without aliases
//! a document weighs at most about twice its text, so no scenario within the file limit
//! (4 MiB) that uses no aliases can reach the limit; the pass runs only when the text holds
//! a `*` at all.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// The most a scenario may weigh once its aliases are expanded (nodes + scalar bytes).
pub const EXPANDED_LIMIT: u64 = 16 * 1024 * 1024;

/// The expansion went past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl TooLarge {
    pub fn sentence(self) -> String {
        format!(
            "the scenario's aliases (*name) expand it to more than {} MiB (nodes and text, each alias counted in full); relaycheck reads at most that: write the values out, or use fewer aliases",
            EXPANDED_LIMIT / (1024 * 1024)
        )
    }
}

/// Walks `text` as serde_yaml would expand it. Errors other than the size (a YAML syntax
/// error, several documents) are left to the real parse, which says them better.
pub fn check(text: &str) -> Result<(), TooLarge> {
    check_with(text, EXPANDED_LIMIT)
}

fn check_with(text: &str, limit: u64) -> Result<(), TooLarge> {
    if !text.contains('*') {
        return Ok(());
    }
    let left = Cell::new(limit);
    let over = Cell::new(false);
    let counter = Counter {
        left: &left,
        over: &over,
    };
    let _ = counter.deserialize(serde_yaml::Deserializer::from_str(text));
    if over.get() { Err(TooLarge) } else { Ok(()) }
}

#[derive(Clone, Copy)]
struct Counter<'a> {
    left: &'a Cell<u64>,
    over: &'a Cell<bool>,
}

impl Counter<'_> {
    /// One node of `bytes` bytes; an error (that stops the walk) once the limit is passed.
    fn count<E: de::Error>(self, bytes: usize) -> Result<(), E> {
        let weight = 1 + bytes as u64;
        match self.left.get().checked_sub(weight) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.over.set(true);
                Err(E::custom("expanded too large"))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Counter<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Counter<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.count(0)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.count(0)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.count(0)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.count(0)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.count(0)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.count(0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.count(v.len())
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        self.count(v.len())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.count(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.count(0)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.count(0)?;
        self.deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.count(0)?;
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.count(0)?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.count(0)?;
        while map.next_entry_seed(self, self)?.is_some() {}
        Ok(())
    }
    /// A tagged node (`!Tag value`).
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.count(0)?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten levels of ten aliases each: 10^10 nodes from a few hundred bytes.
    fn laughs(levels: usize) -> String {
        let mut s = String::from("a0: &a0 [\"lol\"]\n");
        for i in 1..=levels {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        s
    }

    /// One 100 kB value named 20,000 times: 2 GB once expanded, from 180 kB of text, and
    /// within serde_yaml's own repetition limit (100 jumps per event).
    #[test]
    fn one_large_value_named_many_times_is_stopped() {
        let text = format!(
            "v: &v \"{}\"\nl: [{}]\n",
            "x".repeat(100_000),
            vec!["*v"; 20_000].join(", ")
        );
        let start = std::time::Instant::now();
        assert_eq!(check(&text), Err(TooLarge));
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    }

    #[test]
    fn a_few_aliases_and_none_at_all_pass() {
        assert_eq!(check(&laughs(2)), Ok(()));
        assert_eq!(check("tenant:\n  accepted_domains: []\n"), Ok(()));
        // A syntax error is the real parse's to report.
        assert_eq!(check("a: *nowhere\n"), Ok(()));
    }

    #[test]
    fn the_limit_is_on_the_expansion_not_the_text() {
        // 100 aliases of one 1,000-byte value: 100 kB expanded from 1.6 kB of text.
        let text = format!(
            "v: &v \"{}\"\nl: [{}]\n",
            "x".repeat(1000),
            vec!["*v"; 100].join(", ")
        );
        assert_eq!(check_with(&text, 200_000), Ok(()));
        assert_eq!(check_with(&text, 90_000), Err(TooLarge));
    }
}
