//! Every `claim` as schema.org `ClaimReview` JSON-LD, the markup
//! fact-checkers publish and search engines read: the claim's text and
//! where it appeared (its sources), the verdict as a rating on a stated
//! scale, what the model holds as the review's body, and the sources of
//! the facts the claim's query selects as citations.

use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::model::*;
use crate::session::{ask, AnswerFormat};
use serde_json::{json, Value};

/// The rating scale: 1 contradicted, 2 undecided, 3 supported.
fn rating(v: Verdict) -> (u8, &'static str) {
    match v {
        Verdict::Contradicted => (1, "Contradicted by the recorded facts"),
        Verdict::Undecided => (2, "Cannot be decided from the recorded facts"),
        Verdict::Supported => (3, "Supported by the recorded facts"),
    }
}

/// The claim's diagnostic (A0905, W0903 or A0904): the one whose main
/// label lies in the claim's statement.
fn finding<'l>(loaded: &'l Loaded, c: &Check) -> Option<&'l Diagnostic> {
    loaded.diagnostics.iter().find(|d| {
        d.primary.as_ref().is_some_and(|l| {
            l.file == c.origin.file
                && l.span.start >= c.origin.span.start
                && l.span.end <= c.origin.span.end
        })
    })
}

/// The query inside a claim's left side: `count(visits by Xi)` →
/// `visits by Xi`, `first(visits …).to` → `visits …`, `trade … | first |
/// .change` → `trade … | first`. Its answer's items carry their sources.
fn selecting_query(left: &str) -> String {
    let mut q = left.trim();
    if let Some(open) = q.find('(') {
        let head = &q[..open];
        if !head.is_empty() && head.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
            if let Some(close) = q.rfind(')') {
                q = &q[open + 1..close];
            }
        }
    }
    let stages: Vec<&str> = q
        .split(" | ")
        .filter(|s| !s.trim_start().starts_with('.') && s.trim() != "count")
        .collect();
    stages.join(" | ")
}

/// Every `sources` list in an answer, each source once, in order.
fn cited(answer: &Value, out: &mut Vec<String>) {
    match answer {
        Value::Array(items) => items.iter().for_each(|i| cited(i, out)),
        Value::Object(map) => {
            if let Some(Value::Array(ids)) = map.get("sources") {
                for id in ids.iter().filter_map(Value::as_str) {
                    if !out.iter().any(|o| o == id) {
                        out.push(id.to_string());
                    }
                }
            }
        }
        _ => {}
    }
}

fn creative_work(model: &Model, id: &str) -> Value {
    let Some(s) = model.sources.get(id) else {
        return json!({"@type": "CreativeWork", "name": id});
    };
    let mut work = json!({"@type": "CreativeWork", "name": s.title});
    if let Some(url) = &s.url {
        work["url"] = json!(url);
    }
    if let Some(p) = s.published {
        work["datePublished"] = json!(p.to_string());
    }
    work
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The claims as a JSON-LD list of `ClaimReview`s.
pub fn claim_reviews(loaded: &Loaded, file_name: &str) -> Value {
    let model = &loaded.model;
    let reviews: Vec<Value> = model
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::Claim)
        .map(|c| {
            let (value, name) = rating(c.verdict);
            let diag = finding(loaded, c);
            let holds = diag
                .and_then(|d| d.primary.as_ref())
                .map(|l| l.text.clone())
                .unwrap_or_default();
            let left = diag
                .and_then(|d| d.primary.as_ref())
                .map(|l| loaded.sources.get(l.file).slice(l.span).to_string())
                .unwrap_or_default();
            let mut evidence = Vec::new();
            if let Ok(answer) = ask(model, &selecting_query(&left), AnswerFormat::Json) {
                if let Ok(v) = serde_json::from_str::<Value>(&answer) {
                    cited(&v, &mut evidence);
                }
            }
            let appearance: Vec<Value> = c
                .sources
                .iter()
                .map(|s| creative_work(model, &model.source(*s).id))
                .collect();
            let mut body = format!("{}: {}.", capitalized(c.verdict.word()), holds);
            if let Some(help) = diag.and_then(|d| d.help.as_ref()) {
                body.push(' ');
                body.push_str(&capitalized(
                    &help.split_whitespace().collect::<Vec<_>>().join(" "),
                ));
                body.push('.');
            }
            json!({
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "claimReviewed": c.text,
                "itemReviewed": {
                    "@type": "Claim",
                    "appearance": appearance,
                },
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": value,
                    "bestRating": 3,
                    "worstRating": 1,
                    "alternateName": name,
                },
                "reviewBody": body,
                "citation": evidence.iter().map(|id| creative_work(model, id)).collect::<Vec<_>>(),
                "author": {"@type": "Organization", "name": format!("Rel model {file_name}")},
            })
        })
        .collect();
    Value::Array(reviews)
}

#[cfg(test)]
mod tests {
    use super::selecting_query;

    #[test]
    fn the_selecting_query_drops_functions_fields_and_counts() {
        assert_eq!(
            selecting_query("count(meetings of Xi with Putin in 2015..2025)"),
            "meetings of Xi with Putin in 2015..2025"
        );
        assert_eq!(
            selecting_query("first(visits by Xi kind state in 2013).to"),
            "visits by Xi kind state in 2013"
        );
        assert_eq!(
            selecting_query("trade China~Russia in 2024 | first | .change"),
            "trade China~Russia in 2024 | first"
        );
        assert_eq!(selecting_query("visits by Xi | count"), "visits by Xi");
    }
}
