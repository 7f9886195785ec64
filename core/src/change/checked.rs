//! Documents validated once: [`Validate`] and the [`Checked`] proof of it.

use std::fmt;
use std::ops::Deref;

use super::{Change, ChangeOutcome};
use crate::error::Result;

/// A document that can be checked beyond what its wire format ensures.
pub trait Validate {
    /// Checks the document; `prefix` is prepended to error paths (the
    /// argument's name, or `""` for a function's main document).
    fn validate(&self, prefix: &str) -> Result<()>;
}

impl Validate for Change {
    fn validate(&self, prefix: &str) -> Result<()> {
        Change::validate(self, prefix)
    }
}

/// An outcome history: every change valid, paths `{prefix}/{i}/change/...`.
impl Validate for [ChangeOutcome] {
    fn validate(&self, prefix: &str) -> Result<()> {
        for (i, record) in self.iter().enumerate() {
            record.change.validate(&format!("{prefix}/{i}/change"))?;
        }
        Ok(())
    }
}

/// A document that passed its [`Validate`] check: proof, carried by type,
/// that later steps need not check it again. Dereferences to the document.
///
/// ```
/// use rollgate::change::Checked;
/// let change: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "c", "author": "a", "services": ["api"], "lines_added": 12}"#).unwrap();
/// let checked = Checked::new(&change, "").unwrap();
/// assert_eq!(checked.lines_added, 12.0);
/// let bad: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "c", "author": "a", "services": [], "files_changed": -1}"#).unwrap();
/// assert_eq!(Checked::new(&bad, "change").unwrap_err().path(), "change/files_changed");
/// ```
pub struct Checked<'a, T: ?Sized>(&'a T);

impl<'a, T: Validate + ?Sized> Checked<'a, T> {
    /// Validates `value` (error paths start with `prefix`) and wraps it.
    pub fn new(value: &'a T, prefix: &str) -> Result<Self> {
        value.validate(prefix)?;
        Ok(Checked(value))
    }
}

impl<'a, T: ?Sized> Checked<'a, T> {
    /// The checked document, for as long as it is borrowed.
    ///
    /// ```
    /// let history: Vec<rollgate::ChangeOutcome> = Vec::new();
    /// let checked = rollgate::change::Checked::new(history.as_slice(), "history").unwrap();
    /// assert!(checked.get().is_empty());
    /// ```
    pub fn get(&self) -> &'a T {
        self.0
    }
}

impl<T: ?Sized> Clone for Checked<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Checked<'_, T> {}

impl<T: ?Sized> Deref for Checked<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0
    }
}

impl<T: fmt::Debug + ?Sized> fmt::Debug for Checked<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Checked").field(&self.0).finish()
    }
}
