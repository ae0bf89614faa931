//! Reading a parsed pair's children in the order the grammar writes them.

use super::{keyword, Rule};
use pest::iterators::{Pair, Pairs};

/// The meaningful children of a parsed pair, in order: keyword tokens
/// (`k_<word>`) and punctuation (`t_<name>`) are dropped, as they carry
/// nothing once parsed.
#[derive(Clone)]
pub(super) struct Parts<'i> {
    parent: Rule,
    inner: Pairs<'i, Rule>,
}

impl<'i> Parts<'i> {
    /// The children of `pair`.
    pub(super) fn of(pair: Pair<'i, Rule>) -> Parts<'i> {
        Parts {
            parent: pair.as_rule(),
            inner: pair.into_inner(),
        }
    }

    /// The pairs pest returned for a parse of `rule`.
    pub(super) fn parsed(pairs: Pairs<'i, Rule>, rule: Rule) -> Parts<'i> {
        Parts {
            parent: rule,
            inner: pairs,
        }
    }

    /// The keyword token the pair starts with, for the rare statement that
    /// needs it (its span, or which of two spellings was written).
    pub(super) fn keyword(&mut self) -> Pair<'i, Rule> {
        match self.inner.next() {
            Some(k) if keyword::is_token(k.as_rule()) => k,
            _ => grammar_disagrees(self.parent),
        }
    }

    /// The next part, one the grammar requires.
    pub(super) fn required(&mut self) -> Pair<'i, Rule> {
        match self.next() {
            Some(part) => part,
            None => grammar_disagrees(self.parent),
        }
    }
}

impl<'i> Iterator for Parts<'i> {
    type Item = Pair<'i, Rule>;

    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.inner
            .by_ref()
            .find(|p| !keyword::is_token(p.as_rule()) && !keyword::is_punctuation(p.as_rule()))
    }
}

/// The one place the tree builder relies on the grammar's shape.
///
/// pest hands the builder only pairs that matched their rule, so every part
/// a rule requires is there, in the order `grammar/rel.pest` writes it, and
/// a rule's pair holds only the forms its rule allows. The builder reads
/// them on that basis rather than checking each one: a missing part or an
/// unexpected rule means the grammar changed and the builder did not
/// follow, a bug in this crate that no input can cause (the tests parse
/// every statement and query form).
#[cold]
pub(super) fn grammar_disagrees(rule: Rule) -> ! {
    panic!("`{rule:?}` does not have the shape grammar/rel.pest gives it: update syntax to match")
}
