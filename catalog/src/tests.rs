//! The generated data against facts read by hand from the specification's YAML.

use std::collections::HashSet;

use super::*;

fn op(method: Method, path: &str) -> &'static Operation {
    find(method, path).unwrap_or_else(|| panic!("{method} {path} is in the catalog"))
}

#[test]
fn every_apiv3_operation_once() {
    assert_eq!(OPERATIONS.len(), 1018);
    let mut seen = HashSet::new();
    for op in OPERATIONS {
        assert!(seen.insert((op.method, op.path_template)), "{op} twice");
        assert!(!op.path_template.starts_with('/'), "{op}");
        assert!(
            ["v3/", "hk/v3/", "global/v3/"].iter().any(|prefix| op.path_template.starts_with(prefix)),
            "{op} is not APIv3"
        );
    }
    let count = |prefix: &str| OPERATIONS.iter().filter(|op| op.path_template.starts_with(prefix)).count();
    assert_eq!((count("v3/"), count("hk/v3/"), count("global/v3/")), (992, 21, 5));
}

#[test]
fn every_operation_is_found_by_its_lookups() {
    for op in OPERATIONS {
        assert_eq!(find(op.method, op.path_template), Some(op));
        assert!(operations_at(op.path_template).contains(op), "{op}");
        assert!(same_shape(op.path_template, op.path_template));
    }
    assert!(OPERATIONS.windows(2).all(|pair| compare_shapes(pair[0].path_template, pair[1].path_template).is_le()));
    assert_eq!(paths().count(), paths().collect::<HashSet<_>>().len());
}

#[test]
fn seed_operation_with_its_members() {
    let path =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores";
    let op = op(Method::Post, path);
    assert_eq!(op.title, "批次取消关联门店");
    assert_eq!(op.group, "运营工具∙商品券");
    assert_eq!(op.updated, Some("2025-08-04"));
    assert_eq!(op.host, None);

    let names: Vec<_> = op.parameters.iter().map(|p| (p.name, p.location, p.required)).collect();
    assert_eq!(names, [("product_coupon_id", Location::Path, true), ("stock_id", Location::Path, true)]);

    let Body::Json(body) = op.body else { panic!("a JSON body: {:?}", op.body) };
    let names: Vec<_> = body.iter().map(|m| (m.name, m.required, m.schema.ty)).collect();
    assert_eq!(names, [("brand_id", true, JsonType::String), ("store_list", true, JsonType::Array)]);
    let store = op.body.member("store_list").unwrap().schema.items.unwrap();
    assert_eq!(store.ty, JsonType::Object);
    let store_id = store.member("store_id").unwrap();
    assert!(store_id.required && store_id.schema.ty == JsonType::String && store_id.location == Location::Body);

    assert_eq!(op.response.status, 200);
    let response = op.response.body.members();
    let names: Vec<_> = response.iter().map(|m| (m.name, m.required)).collect();
    assert_eq!(names, [("total_count", true), ("success_store_list", false), ("failed_store_list", false)]);
    let failed = response[2].schema.items.unwrap();
    assert!(failed.members.iter().all(|m| m.required), "store_id, code and message are required");

    // Placeholders by position, names free.
    let renamed = path.replace("{product_coupon_id}", "{coupon}").replace("{stock_id}", "<stock>");
    assert_eq!(find_by_shape(Method::Post, &renamed), Some(op));
    assert_eq!(find(Method::Post, &renamed), None);
    assert_eq!(find_by_shape(Method::Get, path), None);
    assert_eq!(find_by_shape(Method::Post, &path.replace("disassociate-stores", "disassociate-store")), None);
}

#[test]
fn sensitive_members() {
    let add = op(Method::Post, "v3/profitsharing/receivers/add");
    let name = add.body.member("name").unwrap();
    assert!(name.sensitive && !name.required);
    assert_eq!(name.schema.format, Some("base64"));
    assert!(!add.body.member("account").unwrap().sensitive);
    assert!(add.takes_sensitive());
    let serial = add.parameter(Location::Header, "wechatpay-serial").unwrap();
    assert!(serial.required && serial.name == "Wechatpay-Serial");
    assert_eq!(serial.schema.ty, JsonType::String);
    // Responses carry sensitive members too, encrypted under the merchant key.
    assert!(add.response.body.members().iter().any(|m| m.name == "name" && m.sensitive));

    let relation = add.body.member("relation_type").unwrap();
    assert_eq!(relation.schema.enum_values.len(), 11);
    assert_eq!(relation.schema.enum_values[0], "SERVICE_PROVIDER");

    // Listed in `x-is-sensitive` rather than marked `format: base64`.
    let applyment = op(Method::Post, "v3/ecommerce/profitsharing/receivers/add");
    assert!(applyment.body.member("encrypted_name").unwrap().sensitive);
    assert!(!applyment.body.member("name").unwrap().sensitive);

    // An array whose elements are each encrypted.
    let policies = op(Method::Post, "v3/inspolicymgr/deduct/policies");
    assert!(policies.body.member("insured_name_list").unwrap().sensitive);

    let sensitive = OPERATIONS
        .iter()
        .flat_map(|op| op.parameters.iter().chain(op.body.members()).chain(op.response.body.members()))
        .map(count_sensitive)
        .sum::<usize>();
    assert_eq!(sensitive, 368, "the count CONVERSION.md gives");
}

fn count_sensitive(member: &Member) -> usize {
    fn in_schema(schema: &Schema) -> usize {
        schema.members.iter().map(count_sensitive).sum::<usize>() + schema.items.map_or(0, in_schema)
    }
    usize::from(member.sensitive) + in_schema(&member.schema)
}

#[test]
fn no_content_response() {
    let op = op(Method::Patch, "v3/marketing/busifavor/stocks/{stock_id}");
    assert_eq!(op.response, Response { status: 204, body: ResponseBody::Empty });
    assert!(op.body.member("out_request_no").unwrap().required);
    let methods: Vec<_> = operations_at(op.path_template).iter().map(|op| op.method).collect();
    assert_eq!(methods, [Method::Get, Method::Patch]);
}

#[test]
fn file_response() {
    let op = op(Method::Get, "v3/billdownload/file");
    assert_eq!(op.response, Response { status: 200, body: ResponseBody::File });
    assert!(op.parameter(Location::Query, "token").is_some_and(|token| token.required));
}

#[test]
fn multipart_upload() {
    let op = op(Method::Post, "v3/merchant/media/upload");
    let Body::Multipart(parts) = op.body else { panic!("a multipart body: {:?}", op.body) };
    let parts: Vec<_> = parts.iter().map(|p| (p.name, p.location, p.required, p.schema.ty)).collect();
    assert_eq!(
        parts,
        [("file", Location::FormData, true, JsonType::File), ("meta", Location::FormData, true, JsonType::String)]
    );
    assert_eq!(op.response.body.members()[0].name, "media_id");
    assert!(op.response.body.members()[0].required);
}

#[test]
fn hong_kong_and_global_operations() {
    let merchants = op(Method::Post, "hk/v3/merchants");
    assert_eq!(merchants.group, "跨境∙进件");
    assert!(merchants.body.member("sp_appid").unwrap().required);
    assert!(merchants.parameter(Location::Header, "Idempotency-Key").unwrap().schema.max_length == Some(64));

    let customs = op(Method::Post, "global/v3/customs/orders");
    assert_eq!(customs.title, "报关API");
    assert!(customs.body.member("appid").unwrap().required);
    assert!(!customs.body.member("duty").unwrap().required);
    assert_eq!(customs.body.member("duty").unwrap().schema.ty, JsonType::Integer);
    assert_eq!(customs.body.member("customs").unwrap().schema.enum_values.len(), 9);

    // The one operation the specification sends to another host.
    let hosted: Vec<_> = OPERATIONS.iter().filter(|op| op.host.is_some()).collect();
    assert_eq!(hosted.len(), 1);
    assert_eq!(hosted[0].to_string(), "GET v3/global/certificates");
    assert_eq!(hosted[0].host, Some("apihk.mch.weixin.qq.com"));
}

#[test]
fn all_of_and_references_resolved() {
    // `allOf` of `Transaction.yaml#TransactionBase` (a fragment without `/`) and more.
    let query = op(Method::Get, "v3/pay/transactions/id/{transaction_id}");
    let response = query.response.body;
    for name in ["appid", "mchid", "out_trade_no", "trade_state", "amount"] {
        assert!(response.members().iter().any(|m| m.name == name), "{name} in {response:?}");
    }
}

#[test]
fn shapes() {
    assert!(same_shape("v3/a/{x}/b", "/v3/a/<y>/b"));
    assert!(!same_shape("v3/a/{x}/b", "v3/a/x/b"));
    assert!(!same_shape("v3/a/{x}", "v3/a/{x}/"));
    assert!(!same_shape("v3/a", "v3/a/{x}"));
    assert_eq!(compare_shapes("v3/a/{x}", "v3/a/{x}/b"), Ordering::Less);
    // A trailing `/` is part of the path.
    assert!(find(Method::Post, "v3/applyment4sub/applyment/").is_some());
    assert!(find(Method::Post, "v3/applyment4sub/applyment").is_none());
    assert_eq!(Method::Post.to_string(), "POST");
    assert_eq!(Location::FormData.to_string(), "formData");
}

#[test]
fn every_operation_names_its_typed_endpoint_once() {
    let mut paths: Vec<&str> = OPERATIONS.iter().map(|op| op.rust_path).collect();
    assert!(paths.iter().all(|path| path.starts_with("wechat_endpoint::apis::") && !path.ends_with("::")));
    paths.sort_unstable();
    let before = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), before, "two operations share a rust_path");
    let seed = op(
        Method::Post,
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores",
    );
    assert_eq!(
        seed.rust_path,
        "wechat_endpoint::apis::marketing::partner::product_coupon::product_coupons::stocks::DisassociateStores"
    );
}

#[test]
fn sample_text_follows_enum_format_and_lengths() {
    let mut schema = Schema::of(JsonType::String);
    assert_eq!(schema.sample_text("out_trade_no"), "out_trade_no");
    assert_eq!(schema.sample_text(""), "sandbox");
    schema.max_length = Some(4);
    assert_eq!(schema.sample_text("out_trade_no"), "out_");
    schema.max_length = None;
    schema.min_length = Some(16);
    assert_eq!(schema.sample_text("out_trade_no"), "out_trade_noxxxx");
    let mut stamp = Schema::of(JsonType::String);
    stamp.format = Some("rfc3339");
    assert_eq!(stamp.sample_text("create_time"), Schema::SAMPLE_TIMESTAMP);
    let mut state = Schema::of(JsonType::String);
    state.enum_values = &["SUCCESS", "REFUND"];
    assert_eq!(state.sample_text("trade_state"), "SUCCESS");
}

#[test]
fn sample_integers_stay_within_bounds() {
    let mut schema = Schema::of(JsonType::Integer);
    assert_eq!(schema.sample_integer(), 1);
    schema.minimum = Some(100);
    assert_eq!(schema.sample_integer(), 100);
    schema.minimum = None;
    schema.maximum = Some(0);
    assert_eq!(schema.sample_integer(), 0);
    schema.enum_values = &["-3"];
    assert_eq!(schema.sample_integer(), -3);
}

/// `bill_type` is `allOf` a `$ref` to the `BillType` enumeration (`ALL`, `SUCCESS`,
/// `REFUND`) and an `enum` of four more: the values of both.
#[test]
fn an_enum_beside_a_referenced_enumeration_extends_it() {
    let tradebill = op(Method::Get, "v3/bill/tradebill");
    let bill_type = tradebill.parameter(Location::Query, "bill_type").unwrap();
    assert_eq!(
        bill_type.schema.enum_values,
        ["ALL", "SUCCESS", "REFUND", "RECHARGE_REFUND", "ALL_SPECIAL", "SUC_SPECIAL", "REF_SPECIAL"]
    );
}
