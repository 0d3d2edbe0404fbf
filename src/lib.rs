//! Hosts the examples and integration tests of wechat-endpoint; it has no code of its own.
