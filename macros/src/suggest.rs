//! "Did you mean …?" for names that are almost right.

/// The candidate closest to `name`, if one is close enough to be a likely typo: at most
/// one edit for short names, a third of the length for longer ones.
pub(crate) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance in `char`s, one row at a time.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("stock_idd", "stock_id"), 1);
        assert_eq!(edit_distance("qeury", "query"), 2);
        assert_eq!(edit_distance("中文", "中"), 1);
    }

    #[test]
    fn suggestions() {
        let fields = ["product_coupon_id", "stock_id", "brand_id"];
        assert_eq!(closest("stock_idd", fields), Some("stock_id"));
        assert_eq!(closest("stockid", fields), Some("stock_id"));
        assert_eq!(closest("coupon", fields), None);
        assert_eq!(closest("bdy", ["query", "body"]), Some("body"));
        assert_eq!(closest("x", ["query", "body"]), None);
    }
}
