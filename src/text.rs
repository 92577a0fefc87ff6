//! Text helpers every layer uses: values from AWS or a file kept to a readable length.

/// At most `max` characters, the middle cut out (`…`) where the text is longer: the
/// table stays readable, the JSON keeps the whole value.
pub fn shorten(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let head = max * 2 / 3;
    let tail = max.saturating_sub(head + 1);
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// `text` with every run of non-space characters longer than `max` shortened in the
/// middle: an error that quotes a 100,000-character argument still fits on a screen.
pub fn shorten_words(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if !text.split_whitespace().any(|w| w.chars().count() > max) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4096));
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(&shorten(word, max));
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_lose_their_middle_and_the_rest_is_kept() {
        let long = "x".repeat(100_000);
        let text = format!("error: unknown check id '{long}'\n  try orr checks list");
        let short = shorten_words(&text, 80);
        assert!(short.chars().count() < 200, "{short}");
        assert!(short.starts_with("error: unknown check id 'xxx"));
        assert!(short.ends_with("xx'\n  try orr checks list"));
        assert_eq!(shorten_words("plain words", 80), "plain words");
    }

    #[test]
    fn long_values_lose_their_middle() {
        assert_eq!(shorten("short", 10), "short");
        let long = "a".repeat(20) + &"b".repeat(20);
        let cut = shorten(&long, 10);
        assert_eq!(cut.chars().count(), 10);
        assert!(cut.starts_with("aaaaaa") && cut.ends_with("bbb") && cut.contains('…'));
    }
}
