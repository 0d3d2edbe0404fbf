//! The catalog of WeChat Pay APIv3 operations: for each of the 1,018 operations its
//! method, path template, title, business group, and every parameter, body member and
//! response member with its JSON type, format, bounds, and whether it is required or
//! sensitive (RSA-OAEP encrypted).
//!
//! Static data generated from the Swagger description of the public wechatpay-openapi
//! project (MIT licence) at commit [`SPEC_COMMIT`] of [`SPEC_DATE`]; the crate
//! `wechat-endpoint-catalog`, re-exported here, documents the source and the conversion.
//!
//! ```
//! use wechat_endpoint::catalog::{self, Method};
//!
//! // Placeholders match by position, whatever their names.
//! let op = catalog::find_by_shape(Method::Post, "v3/profitsharing/receivers/add").unwrap();
//! assert_eq!(op.title, "添加分账接收方");
//! assert!(op.body.member("name").unwrap().sensitive);
//!
//! // The catalog's `Method` from an endpoint's `http::Method`.
//! assert_eq!(Method::from_name(wechat_endpoint::Method::POST.as_str()), Some(Method::Post));
//! ```

pub use wechat_endpoint_catalog::{
    Body, DEFAULT_HOST, JsonType, Location, Member, Method, OPERATIONS, Operation, Response, ResponseBody, SPEC_COMMIT,
    SPEC_DATE, Schema, compare_shapes, find, find_by_shape, operations_at, paths, same_shape,
};
