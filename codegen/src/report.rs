//! What the conversion met that the specification does not write regularly: counted by
//! kind, with a few examples each, in a deterministic order.

use std::collections::{BTreeMap, BTreeSet};

/// How many examples the summary shows per kind.
const EXAMPLES: usize = 3;

/// Irregularities, by kind.
#[derive(Debug, Default)]
pub struct Report {
    kinds: BTreeMap<(Use, String), Kind>,
}

/// Whether the conversion could use what it met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    /// Read, with the rule the kind names.
    Handled,
    /// Left out of the catalog.
    Unused,
}

#[derive(Debug, Default)]
struct Kind {
    count: usize,
    examples: BTreeSet<String>,
}

impl Report {
    /// One occurrence of a kind the conversion reads with the rule the kind names.
    pub fn handled(&mut self, kind: &str, example: &str) {
        self.add(Use::Handled, kind, example);
    }

    /// One occurrence of a kind the catalog leaves out.
    pub fn unused(&mut self, kind: &str, example: &str) {
        self.add(Use::Unused, kind, example);
    }

    fn add(&mut self, used: Use, kind: &str, example: &str) {
        let entry = self.kinds.entry((used, kind.to_owned())).or_default();
        entry.count += 1;
        entry.examples.insert(example.to_owned());
    }

    /// The number of occurrences of `kind`, handled or not.
    #[cfg(test)]
    pub fn count(&self, kind: &str) -> usize {
        self.kinds.iter().filter(|((_, k), _)| k == kind).map(|(_, entry)| entry.count).sum()
    }

    /// Markdown list items, one per kind of `used`, with a count and examples.
    pub fn lines(&self, used: Use) -> Vec<String> {
        self.kinds
            .iter()
            .filter(|((u, _), _)| *u == used)
            .map(|((_, kind), entry)| {
                let examples: Vec<String> =
                    entry.examples.iter().take(EXAMPLES).map(|example| format!("`{example}`")).collect();
                let more = entry.examples.len().saturating_sub(EXAMPLES);
                let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                format!("- {kind}: {} (e.g. {}{more})", entry.count, examples.join(", "))
            })
            .collect()
    }
}
