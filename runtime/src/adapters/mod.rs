//! What sits on top of the client: other ways to drive it and to test with it.
//!
//! | module | feature | what |
//! | --- | --- | --- |
//! | `axum` | `axum` | an extractor for verified, decrypted callbacks |
//! | `blocking` | `blocking` | a blocking client with the same API as the async one |
//! | `sandbox` | `sandbox` | an offline stand-in for the gateway on loopback |

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "sandbox")]
pub mod sandbox;
