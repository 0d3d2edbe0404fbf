// Generic fields: path values need `Display`, query and body values `Serialize`, the
// response `Deserialize`; the impl asks for exactly that, next to the struct's own bounds.
use std::fmt::Display;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[derive(Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
}

#[wechat_endpoint(GET, "v3/items/<id>", response = Page<R>)]
pub struct ListItems<I, Q, R> {
    pub id: I,
    pub filter: Option<Q>,
    #[serde(skip)]
    pub response: std::marker::PhantomData<R>,
}

#[wechat_endpoint(POST, "v3/items/<id>/batch")]
pub struct Batch<'a, Id: Display, T, const N: usize>
where
    T: Clone,
{
    pub id: &'a Id,
    pub items: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<T>,
}

/// Serialises through a function, so `T` itself needs no `Serialize`.
#[wechat_endpoint(PUT, "v3/labels/<label>")]
pub struct PutLabel<T> {
    pub label: String,
    #[serde(serialize_with = "as_len")]
    pub values: Vec<T>,
}

fn as_len<T, S: serde::Serializer>(values: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(values.len() as u64)
}

/// Not `Serialize`: fine where the struct does not need it.
pub struct Opaque;

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<ListItems<u64, String, u32>>();
const _: () = endpoint::<Batch<'static, String, (u8, String), 3>>();
const _: () = endpoint::<PutLabel<Opaque>>();

pub fn generic_use<I: Display, Q: Serialize, R: DeserializeOwned>() -> &'static str {
    <ListItems<I, Q, R> as Endpoint>::PATH_TEMPLATE
}

fn main() {}
