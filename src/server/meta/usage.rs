//! Meta's usage headers (docs/meta-api.md §9). Every answer may carry `X-App-Usage` (the app
//! as a whole), `X-Page-Usage` (the Page whose token was used) and `X-Business-Use-Case-Usage`
//! (per business object: a Page, an Instagram account); their figures are percentages of a
//! quota, and the last one says how long until access returns. What they ask of later calls
//! is `backoff::plan`.

use reqwest::header::HeaderMap;
/// At most this many business objects are read from one header (Meta sends up to 32).
const MAX_OBJECTS: usize = 32;
/// A business object id is digits, and never this long.
const MAX_OBJECT_ID: usize = 40;

/// What one answer's usage headers say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Usage {
    /// The highest figure in `X-App-Usage`.
    pub app: u32,
    /// The highest figure in `X-Page-Usage`.
    pub page: u32,
    /// Each object of `X-Business-Use-Case-Usage`.
    pub objects: Vec<ObjectUsage>,
    /// The longest `estimated_time_to_regain_access` anywhere, in minutes.
    pub regain_minutes: Option<u32>,
}

/// One business object's usage: its highest figure over its entries, and its regain time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectUsage {
    pub id: String,
    pub percent: u32,
    pub regain_minutes: Option<u32>,
}

impl Usage {
    /// The highest figure in any header.
    pub fn percent(&self) -> u32 {
        self.objects
            .iter()
            .map(|o| o.percent)
            .chain([self.app, self.page])
            .max()
            .unwrap_or_default()
    }
}

/// The highest `call_count` / `total_time` / `total_cputime` of one JSON object, and its regain
/// time.
fn figures(object: &serde_json::Value) -> (u32, Option<u32>) {
    let percent = ["call_count", "total_time", "total_cputime"]
        .iter()
        .filter_map(|key| object.get(key).and_then(serde_json::Value::as_f64))
        .map(|value| value.clamp(0.0, 1000.0) as u32)
        .max()
        .unwrap_or_default();
    let regain = object
        .get("estimated_time_to_regain_access")
        .and_then(serde_json::Value::as_u64)
        .filter(|m| *m > 0)
        .map(|m| u32::try_from(m).unwrap_or(u32::MAX));
    (percent, regain)
}

fn longer(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    a.max(b)
}

/// Reads the three usage headers. Missing or garbled headers count as no usage: Meta sends
/// them only "once enough calls have been made".
pub fn read_usage(headers: &HeaderMap) -> Usage {
    let mut usage = Usage::default();
    if let Some(value) = header_json(headers, "x-app-usage") {
        let (percent, regain) = figures(&value);
        usage.app = percent;
        usage.regain_minutes = longer(usage.regain_minutes, regain);
    }
    if let Some(value) = header_json(headers, "x-page-usage") {
        let (percent, regain) = figures(&value);
        usage.page = percent;
        usage.regain_minutes = longer(usage.regain_minutes, regain);
    }
    if let Some(serde_json::Value::Object(objects)) =
        header_json(headers, "x-business-use-case-usage")
    {
        for (id, entries) in objects.iter().take(MAX_OBJECTS) {
            if id.is_empty() || id.len() > MAX_OBJECT_ID || !id.chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            let mut object = ObjectUsage {
                id: id.clone(),
                percent: 0,
                regain_minutes: None,
            };
            for entry in entries.as_array().into_iter().flatten() {
                let (percent, regain) = figures(entry);
                object.percent = object.percent.max(percent);
                object.regain_minutes = longer(object.regain_minutes, regain);
            }
            usage.regain_minutes = longer(usage.regain_minutes, object.regain_minutes);
            usage.objects.push(object);
        }
    }
    usage
}

fn header_json(headers: &HeaderMap, name: &str) -> Option<serde_json::Value> {
    serde_json::from_str(headers.get(name)?.to_str().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn each_header_is_read_on_its_own_and_the_regain_time_is_the_longest() {
        let usage = read_usage(&headers(&[
            (
                "x-app-usage",
                r#"{"call_count":28,"total_time":25,"total_cputime":25}"#,
            ),
            ("x-page-usage", r#"{"call_count":3,"total_time":40}"#),
            (
                "x-business-use-case-usage",
                r#"{"1111":[{"type":"pages","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":4}],"nope":[{"call_count":99}]}"#,
            ),
        ]));
        assert_eq!((usage.app, usage.page, usage.percent()), (28, 40, 97));
        assert_eq!(
            usage.objects,
            [ObjectUsage {
                id: "1111".into(),
                percent: 97,
                regain_minutes: Some(4)
            }],
            "an id that is not a number is ignored"
        );
        assert_eq!(usage.regain_minutes, Some(4));
    }

    #[test]
    fn missing_or_garbled_usage_headers_count_as_no_usage() {
        let usage = read_usage(&headers(&[
            ("x-app-usage", "not json"),
            ("x-business-use-case-usage", "[1,2]"),
        ]));
        assert_eq!(usage, Usage::default());
    }
}
