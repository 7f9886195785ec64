//! The exit codes of `rollgate` and the one-line error it prints before
//! exiting with one of the error codes.

use std::fmt;

use rollgate::ffi::Failure;

use crate::input::one_line;

/// What the process exits with: the documented codes a CI step branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `0`: ok, `promote`, allowed, valid (log intact, document valid).
    Ok = 0,
    /// `1`: the answer is no: `rollback`, window closed, governance denied,
    /// risk at or above `--fail-on`, change log broken or tampered.
    No = 1,
    /// `2`: the command line is wrong (clap's usage errors).
    Usage = 2,
    /// `3`: `continue`: not decided yet, collect more data and ask again.
    Continue = 3,
    /// `4`: `inconclusive`: the data cannot support a decision; a person must look.
    Inconclusive = 4,
    /// `5`: an input cannot be evaluated (the error code and path on stderr),
    /// is not JSON/YAML, is too large, or `validate` found problems.
    Invalid = 5,
    /// `6`: a file cannot be read or written.
    Io = 6,
    /// `7`: rollgate itself failed (`internal_error`); please report it.
    Internal = 7,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A command that ended without a result: printed as one line on stderr,
/// `error: <code> at <path>: <message>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fail {
    /// The error code (rollgate's, or `io_error`, `input_too_large`).
    pub code: String,
    /// The JSON pointer of the offending value as the bindings report it, or
    /// for a file that cannot be read or parsed the file's name.
    pub path: String,
    /// What is wrong, on one line.
    pub message: String,
    /// The exit code.
    pub exit: Exit,
}

impl Fail {
    /// A file that cannot be read or written.
    pub fn io(name: &str, what: &str, err: &std::io::Error) -> Fail {
        Fail {
            code: "io_error".into(),
            path: name.into(),
            message: format!("{what} {name}: {}", one_line(err)),
            exit: Exit::Io,
        }
    }

    /// A document that is not JSON, YAML or JSON Lines as it claims.
    pub fn syntax(name: &str, message: String) -> Fail {
        Fail {
            code: "invalid_input".into(),
            path: name.into(),
            message: one_line(&message),
            exit: Exit::Invalid,
        }
    }

    /// An input above the size limit.
    pub fn too_large(name: &str, max_bytes: u64) -> Fail {
        Fail {
            code: "input_too_large".into(),
            path: name.into(),
            message: format!(
                "{name} holds more than {max_bytes} bytes (raise the limit with --max-input-bytes)"
            ),
            exit: Exit::Invalid,
        }
    }

    /// A command line the parser accepted but that makes no sense.
    pub fn usage(message: impl Into<String>) -> Fail {
        Fail {
            code: "usage".into(),
            path: String::new(),
            message: message.into(),
            exit: Exit::Usage,
        }
    }

    /// An engine error, as the bindings report it.
    pub fn engine(err: &rollgate::Error) -> Fail {
        Fail {
            code: err.code().into(),
            path: err.path().into(),
            // The kind's sentence: the path is printed before it already.
            message: one_line(err.kind()),
            exit: if err.code() == "internal_error" {
                Exit::Internal
            } else {
                Exit::Invalid
            },
        }
    }
}

impl<C, E: fmt::Debug> From<Failure<C, E>> for Fail {
    fn from(failure: Failure<C, E>) -> Self {
        match failure {
            Failure::Error(err, _) => Fail::engine(&err),
            Failure::Host(err) => Fail::engine(&rollgate::Error::internal(format!("{err:?}"))),
        }
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "error: {} at {}: {}", self.code, path, self.message)
    }
}
