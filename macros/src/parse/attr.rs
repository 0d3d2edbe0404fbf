//! A setting that may be given once, like serde_derive's `Attr`.

use quote::ToTokens;

use crate::ctxt::Ctxt;

/// One setting of the arguments or of a field's `#[wechat(...)]`: the first time it is
/// given counts, and every later time is an error at the later place.
pub(crate) struct Attr<'c, T> {
    cx: &'c Ctxt,
    /// How messages name it: "`response`", "the method".
    name: &'static str,
    /// `None` until given; `Some(None)` when given but unusable, its error recorded.
    given: Option<Option<T>>,
}

impl<'c, T> Attr<'c, T> {
    pub(crate) fn none(cx: &'c Ctxt, name: &'static str) -> Self {
        Attr { cx, name, given: None }
    }

    /// Records the setting given at `at`, its value made by `value` (which records its
    /// own errors and answers `None` for a value it cannot use). Given before, it is
    /// reported at `at`, and `value` is not run.
    pub(crate) fn set<A: ToTokens>(&mut self, at: A, value: impl FnOnce() -> Option<T>) {
        if self.given.is_some() {
            self.cx.error_spanned_by(at, format!("{} is given twice", self.name));
        } else {
            self.given = Some(value());
        }
    }

    /// Whether the setting was given, usable or not.
    pub(crate) fn is_given(&self) -> bool {
        self.given.is_some()
    }

    /// The value, when given and usable.
    pub(crate) fn get(self) -> Option<T> {
        self.given.flatten()
    }
}
