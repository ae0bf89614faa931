//! Helpers shared by the test binaries (`mod common;` in each).
#![allow(dead_code)] // each binary uses only some of them

/// A linear congruential generator: deterministic, enough to vary inputs.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n` (0 when `n` is 0).
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }
}

/// The ```` ```rel ```` blocks of a Markdown page, in order.
pub fn rel_blocks(markdown: &str) -> impl Iterator<Item = &str> {
    markdown
        .split("```rel\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or(""))
}
