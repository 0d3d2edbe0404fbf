//! Requests built by `#[wechat_endpoint]` are byte for byte those of a careful
//! hand-written `Endpoint` impl, and those of the signed vectors.

mod macro_seed;

use std::collections::BTreeMap;

use macro_seed::{Store, generated, hand};
use serde::Serialize;
use wechat_endpoint::{Endpoint, Method, TargetWriter, wechat_endpoint};

/// The target and body an endpoint writes, or the error it reports.
fn build<E: Endpoint>(endpoint: &E) -> Result<(String, String), String> {
    let mut target = String::new();
    endpoint.write_target(&mut TargetWriter::new(&mut target, "/")).map_err(|e| e.to_string())?;
    let mut body = Vec::new();
    endpoint.write_body(&mut body).map_err(|e| e.to_string())?;
    Ok((target, String::from_utf8(body).expect("JSON is UTF-8")))
}

/// Asserts that the macro's impl and the hand-written one agree on everything.
fn same<G, H>(generated: &G, hand: &H) -> Result<(String, String), String>
where
    G: Endpoint,
    H: Endpoint + for<'a> From<&'a G>,
{
    assert_eq!(G::METHOD, H::METHOD);
    assert_eq!(G::PATH_TEMPLATE, H::PATH_TEMPLATE);
    let built = build(generated);
    assert_eq!(built, build(hand));
    built
}

/// Path values that each need care: reserved characters, dot segments, spaces,
/// non-ASCII, and an empty value.
const AWKWARD: [&str; 11] = ["1000000013", "a/b", "?x=1", "#top", "100%", "..", ".", "a b", "中文", "../..?#% 中", ""];

fn vectors() -> serde_json::Value {
    let text = include_str!("data/vectors.json");
    serde_json::from_str(text).expect("tests/data/vectors.json parses")
}

fn signing_vector(index: usize) -> (String, String) {
    let vector = &vectors()["request_signing"][index];
    (vector["request_target"].as_str().unwrap().to_owned(), vector["body"].as_str().unwrap().to_owned())
}

#[test]
fn disassociate_stores_matches_the_signed_vector() {
    let endpoint = generated::DisassociateStores {
        product_coupon_id: "1000000013".into(),
        stock_id: "1000000013001".into(),
        brand_id: "120344".into(),
        store_list: vec![Store { store_id: "100000001".into() }],
    };
    let (target, body) = same(&endpoint, &hand::DisassociateStores::from(&endpoint)).unwrap();
    assert_eq!((target, body), signing_vector(0));
    assert_eq!(
        (target_of(&endpoint), body_of(&endpoint)),
        (
            "/v3/marketing/partner/product-coupon/product-coupons/1000000013/stocks/1000000013001/disassociate-stores"
                .to_owned(),
            r#"{"brand_id":"120344","store_list":[{"store_id":"100000001"}]}"#.to_owned()
        )
    );
}

fn target_of<E: Endpoint>(endpoint: &E) -> String {
    build(endpoint).unwrap().0
}

fn body_of<E: Endpoint>(endpoint: &E) -> String {
    build(endpoint).unwrap().1
}

#[test]
fn associated_stores_matches_the_signed_vector() {
    let endpoint = generated::ListAssociatedStores {
        product_coupon_id: "1000000013".into(),
        stock_id: "1000000013001".into(),
        brand_id: "120344".into(),
        page_size: Some(10),
        page_token: None,
    };
    let (target, body) = same(&endpoint, &hand::ListStores::from(&endpoint)).unwrap();
    assert_eq!(
        (target.as_str(), body.as_str()),
        (
            "/v3/marketing/partner/product-coupon/product-coupons/1000000013/stocks/1000000013001/associated-stores?brand_id=120344&page_size=10",
            ""
        )
    );
    assert_eq!((target, body), signing_vector(1));
}

#[test]
fn declared_constants() {
    assert_eq!(
        <generated::DisassociateStores as Endpoint>::PATH_TEMPLATE,
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores"
    );
    // Declared with a leading `/`, which the constant leaves out.
    assert_eq!(
        <generated::ListAssociatedStores as Endpoint>::PATH_TEMPLATE,
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores"
    );
    assert_eq!(<generated::DisassociateStores as Endpoint>::METHOD, Method::POST);
    assert_eq!(<generated::ListAssociatedStores as Endpoint>::METHOD, Method::GET);
    assert_eq!(<generated::UpdateStock as Endpoint>::METHOD, Method::PATCH);
    assert_eq!(<generated::DeleteCoupon as Endpoint>::METHOD, Method::DELETE);

    fn responds_with<E: Endpoint<Response = R>, R>() {}
    responds_with::<generated::DisassociateStores, macro_seed::StoresResult>();
    responds_with::<generated::ListAssociatedStores, macro_seed::AssociatedStores>();
    responds_with::<generated::UpdateStock, macro_seed::Stock>();
    responds_with::<generated::DeleteCoupon, ()>();
}

#[test]
fn path_values_are_encoded_like_by_hand() {
    let mut encoded = BTreeMap::new();
    for coupon in AWKWARD {
        for stock in AWKWARD {
            let endpoint = generated::DisassociateStores {
                product_coupon_id: coupon.into(),
                stock_id: stock.into(),
                brand_id: "b/1 中".into(),
                store_list: vec![],
            };
            let built = same(&endpoint, &hand::DisassociateStores::from(&endpoint));
            if stock == "1000000013" {
                encoded.insert(coupon, built);
            }
        }
    }
    let target = |coupon: &str| {
        format!("/v3/marketing/partner/product-coupon/product-coupons/{coupon}/stocks/1000000013/disassociate-stores")
    };
    let body = r#"{"brand_id":"b/1 中","store_list":[]}"#.to_owned();
    assert_eq!(encoded["a/b"], Ok((target("a%2Fb"), body.clone())));
    assert_eq!(encoded["?x=1"], Ok((target("%3Fx%3D1"), body.clone())));
    assert_eq!(encoded["#top"], Ok((target("%23top"), body.clone())));
    assert_eq!(encoded["100%"], Ok((target("100%25"), body.clone())));
    assert_eq!(encoded["a b"], Ok((target("a%20b"), body.clone())));
    assert_eq!(encoded["中文"], Ok((target("%E4%B8%AD%E6%96%87"), body.clone())));
    assert_eq!(encoded["../..?#% 中"], Ok((target("..%2F..%3F%23%25%20%E4%B8%AD"), body)));
    for refused in ["..", ".", ""] {
        let error = encoded[refused].as_ref().unwrap_err();
        assert!(error.contains("product_coupon_id"), "{error}");
    }
}

#[test]
fn query_values_are_encoded_like_by_hand() {
    for brand_id in ["120344", "1 2&3=4", "中文", "a+b%"] {
        for page_size in [None, Some(0), Some(10)] {
            for page_token in [None, Some(""), Some("tok/en?#")] {
                for stock in ["1000000013001", "a/b", ".."] {
                    let endpoint = generated::ListAssociatedStores {
                        product_coupon_id: "1000000013".into(),
                        stock_id: stock.into(),
                        brand_id: brand_id.into(),
                        page_size,
                        page_token: page_token.map(Into::into),
                    };
                    same(&endpoint, &hand::ListStores::from(&endpoint)).ok();
                }
            }
        }
    }
    let endpoint = generated::ListAssociatedStores {
        product_coupon_id: "1".into(),
        stock_id: "2".into(),
        brand_id: "1 2&3=中".into(),
        page_size: None,
        page_token: Some("t/?#".into()),
    };
    assert_eq!(
        target_of(&endpoint),
        "/v3/marketing/partner/product-coupon/product-coupons/1/stocks/2/associated-stores?brand_id=1+2%263%3D%E4%B8%AD&page_token=t%2F%3F%23"
    );
}

#[test]
fn patch_sends_its_body_like_by_hand() {
    for remark in [None, Some("a \"quoted\" 中文 remark\n")] {
        for stock in AWKWARD {
            let endpoint = generated::UpdateStock {
                product_coupon_id: "1000000013".into(),
                stock_id: stock.into(),
                brand_id: "120344".into(),
                out_request_no: "req-1".into(),
                remark: remark.map(Into::into),
            };
            same(&endpoint, &hand::UpdateStock::from(&endpoint)).ok();
        }
    }
    let endpoint = generated::UpdateStock {
        product_coupon_id: "1".into(),
        stock_id: "2".into(),
        brand_id: "120344".into(),
        out_request_no: "req-1".into(),
        remark: None,
    };
    assert_eq!(
        build(&endpoint).unwrap(),
        (
            "/v3/marketing/partner/product-coupon/product-coupons/1/stocks/2".to_owned(),
            r#"{"brand_id":"120344","out_request_no":"req-1"}"#.to_owned()
        )
    );
}

#[test]
fn delete_sends_a_query_and_no_body_like_by_hand() {
    for out_request_no in [None, Some("r 1/2")] {
        for openid in AWKWARD {
            let endpoint = generated::DeleteCoupon {
                openid: openid.into(),
                coupon_code: "c-1".into(),
                brand_id: "120344".into(),
                out_request_no: out_request_no.map(Into::into),
            };
            same(&endpoint, &hand::DeleteCoupon::from(&endpoint)).ok();
        }
    }
    let endpoint = generated::DeleteCoupon {
        openid: "o-1".into(),
        coupon_code: "c 1".into(),
        brand_id: "120344".into(),
        out_request_no: Some("r 1/2".into()),
    };
    assert_eq!(
        build(&endpoint).unwrap(),
        ("/v3/fixture/users/o-1/coupons/c%201?brand_id=120344&out_request_no=r+1%2F2".to_owned(), String::new())
    );
}

/// `#[wechat(query)]` on a POST, `#[wechat(body)]` on a DELETE, serde's attributes, and
/// an empty POST body.
mod roles {
    use super::*;

    #[wechat_endpoint(POST, "v3/stocks/<stock_id>/budget")]
    #[serde(rename_all = "camelCase")]
    struct UpdateBudget<'a> {
        stock_id: &'a str,
        #[wechat(query)]
        #[serde(rename = "brand")]
        brand_id: &'a str,
        target_budget: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        remark: Option<&'a str>,
        #[serde(flatten)]
        extra: BTreeMap<&'a str, u32>,
        #[serde(skip)]
        #[allow(dead_code)]
        note: &'a str,
    }

    #[test]
    fn query_on_post_and_serde_attributes() {
        let endpoint = UpdateBudget {
            stock_id: "s/1",
            brand_id: "b 1",
            target_budget: 100,
            remark: None,
            extra: BTreeMap::from([("z", 1)]),
            note: "never sent",
        };
        assert_eq!(
            build(&endpoint).unwrap(),
            ("/v3/stocks/s%2F1/budget?brand=b+1".to_owned(), r#"{"targetBudget":100,"z":1}"#.to_owned())
        );
    }

    #[wechat_endpoint(DELETE, "v3/notify-configs/<id>")]
    struct DeleteNotifyConfig {
        id: u64,
        brand_id: String,
        #[wechat(body)]
        reason: String,
    }

    #[test]
    fn body_on_delete() {
        let endpoint = DeleteNotifyConfig { id: 7, brand_id: "120344".into(), reason: "gone".into() };
        assert_eq!(
            build(&endpoint).unwrap(),
            ("/v3/notify-configs/7?brand_id=120344".to_owned(), r#"{"reason":"gone"}"#.to_owned())
        );
    }

    #[wechat_endpoint(POST, "v3/product-coupons/<product_coupon_id>/deactivate")]
    struct Deactivate {
        product_coupon_id: String,
    }

    #[wechat_endpoint(PUT, "v3/settings")]
    struct PutNothing {}

    #[wechat_endpoint(GET, "v3/certificates")]
    struct Certificates {}

    #[test]
    fn bodies_without_fields() {
        let endpoint = Deactivate { product_coupon_id: "1".into() };
        assert_eq!(build(&endpoint).unwrap(), ("/v3/product-coupons/1/deactivate".to_owned(), "{}".to_owned()));
        assert_eq!(build(&PutNothing {}).unwrap(), ("/v3/settings".to_owned(), "{}".to_owned()));
        assert_eq!(build(&Certificates {}).unwrap(), ("/v3/certificates".to_owned(), String::new()));
    }

    /// A struct that derives serde itself keeps its `#[serde]` attributes, and the
    /// request follows them too.
    #[wechat_endpoint(GET, "v3/users/<openid>/coupons/<coupon_code>")]
    #[derive(Serialize)]
    #[serde(rename_all = "UPPERCASE")]
    struct GetCoupon {
        #[serde(rename = "open_id")]
        openid: String,
        coupon_code: String,
        #[serde(rename = "appid")]
        app_id: String,
    }

    #[test]
    fn derived_serde_keeps_its_attributes() {
        let endpoint = GetCoupon { openid: "o".into(), coupon_code: "c".into(), app_id: "wx1".into() };
        assert_eq!(build(&endpoint).unwrap().0, "/v3/users/o/coupons/c?appid=wx1");
        assert_eq!(serde_json::to_string(&endpoint).unwrap(), r#"{"open_id":"o","COUPON_CODE":"c","appid":"wx1"}"#);
    }

    /// The struct's own derive may also come before the attribute.
    #[derive(Serialize)]
    #[wechat_endpoint(POST, "v3/users/<openid>/coupons")]
    struct SendCoupon {
        #[serde(skip)]
        openid: String,
        #[serde(rename = "stock")]
        stock_id: String,
    }

    #[test]
    fn derive_before_the_attribute() {
        let endpoint = SendCoupon { openid: "o".into(), stock_id: "s".into() };
        assert_eq!(serde_json::to_string(&endpoint).unwrap(), r#"{"stock":"s"}"#);
        assert_eq!(build(&endpoint).unwrap(), ("/v3/users/o/coupons".to_owned(), r#"{"stock":"s"}"#.to_owned()));
    }

    /// serde's function attributes get `&FieldType`, as in a derive on the struct itself,
    /// and a field left out by `cfg` is left out of the request too.
    #[wechat_endpoint(POST, "v3/labels/<label>")]
    struct PutLabel {
        label: String,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        urgent: bool,
        #[serde(with = "as_text")]
        limit: u32,
        #[serde(serialize_with = "count", rename = "value_count")]
        values: Vec<u8>,
        #[cfg(any())]
        never_compiled: DoesNotExist,
        #[cfg(test)]
        always_compiled: u8,
    }

    mod as_text {
        pub fn serialize<S: serde::Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(&format_args!("#{value}"))
        }
    }

    fn count<S: serde::Serializer>(values: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(values.len() as u64)
    }

    #[test]
    fn serde_functions_and_cfg() {
        let mut endpoint =
            PutLabel { label: "l".into(), urgent: false, limit: 7, values: vec![1, 2, 3], always_compiled: 1 };
        assert_eq!(body_of(&endpoint), r##"{"limit":"#7","value_count":3,"always_compiled":1}"##);
        endpoint.urgent = true;
        assert_eq!(body_of(&endpoint), r##"{"urgent":true,"limit":"#7","value_count":3,"always_compiled":1}"##);
    }

    /// Generic fields: path values through `Display`, body values through `Serialize`.
    #[wechat_endpoint(PATCH, "v3/items/<id>", response = Vec<R>)]
    struct PatchItem<I, T, R>
    where
        R: serde::de::DeserializeOwned,
    {
        id: I,
        items: Vec<T>,
        #[serde(skip)]
        #[allow(dead_code)]
        marker: Option<std::marker::PhantomData<R>>,
    }

    #[test]
    fn generic_fields() {
        let endpoint: PatchItem<u32, (u8, &str), String> = PatchItem { id: 5, items: vec![(1, "a")], marker: None };
        assert_eq!(build(&endpoint).unwrap(), ("/v3/items/5".to_owned(), r#"{"items":[[1,"a"]]}"#.to_owned()));
    }
}

/// The runtime declares its own bill requests with the macro: they write the targets
/// their hand-written impls wrote, query pairs in the documentation's order.
#[test]
fn bill_requests_are_declared_with_the_macro() {
    use wechat_endpoint::bill::{AccountType, BillType, FundFlowBill, TradeBill};

    assert_eq!(
        (TradeBill::METHOD, TradeBill::PATH_TEMPLATE, TradeBill::IDEMPOTENT),
        (Method::GET, "v3/bill/tradebill", None)
    );
    assert_eq!(
        (FundFlowBill::METHOD, FundFlowBill::PATH_TEMPLATE, FundFlowBill::IDEMPOTENT),
        (Method::GET, "v3/bill/fundflowbill", None)
    );
    let cases = [
        (build(&TradeBill::new("2024-05-01")), "/v3/bill/tradebill?bill_date=2024-05-01"),
        (
            build(&TradeBill::new("2024-05-01").bill_type(BillType::Success).sub_mchid("1900000109").gzip()),
            "/v3/bill/tradebill?bill_date=2024-05-01&sub_mchid=1900000109&bill_type=SUCCESS&tar_type=GZIP",
        ),
        (build(&FundFlowBill::new("2024-05-01")), "/v3/bill/fundflowbill?bill_date=2024-05-01"),
        (
            build(&FundFlowBill::new("2024-05-01").account_type(AccountType::Operation).gzip()),
            "/v3/bill/fundflowbill?bill_date=2024-05-01&account_type=OPERATION&tar_type=GZIP",
        ),
    ];
    for (built, target) in cases {
        assert_eq!(built, Ok((target.to_owned(), String::new())));
    }
}
