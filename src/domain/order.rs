//! One sort for every list. The standard library's sort is compiled once per element and
//! comparator type (about 4 KB of wasm each, twenty of them); sorting indices with a comparator
//! behind `&dyn Fn` compiles it once.

use std::cmp::Ordering;

/// `0..len` ordered by `cmp`; stable (equal items keep their order).
pub fn sorted_indices(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// `items` rearranged so that position `k` holds `items[order[k]]`. Indices that are out of
/// range or repeated are skipped.
pub fn permuted<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// Sorts `items` by `cmp`, stably.
pub fn sort_with<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(items.len(), &|a, b| cmp(&items[a], &items[b]));
    *items = permuted(std::mem::take(items), &order);
}

/// Sorts `items` in their natural order and drops repeats.
pub fn sort_dedup<T: Ord>(items: &mut Vec<T>) {
    // Most lists are one item, or in order already: 20,000 stacks' user lists took 10 ms
    // when each was sorted anyway.
    if items.windows(2).all(|pair| pair[0] < pair[1]) {
        return;
    }
    sort_with(items, &|a, b| a.cmp(b));
    items.dedup();
}

/// Case-insensitive order (Unicode lower case, no allocation), exact order between equals.
/// Two ASCII texts compare byte by byte: the same order, without decoding characters.
pub fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    let folded = if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    };
    folded.then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_through_indices() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_with(&mut items, &|x, y| x.0.cmp(&y.0));
        assert_eq!(
            items,
            vec![(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]
        );
    }

    #[test]
    fn permuted_skips_bad_indices() {
        assert_eq!(permuted(vec!['a', 'b', 'c'], &[2, 0, 9, 2]), vec!['c', 'a']);
    }

    #[test]
    fn sort_dedup_drops_repeats() {
        let mut ids = vec![5, 1, 5, 3, 1];
        sort_dedup(&mut ids);
        assert_eq!(ids, vec![1, 3, 5]);
        for (mut ids, sorted) in [
            (vec![1, 3, 3], vec![1, 3]),
            (vec![2, 1], vec![1, 2]),
            (vec![1, 2, 9], vec![1, 2, 9]),
        ] {
            sort_dedup(&mut ids);
            assert_eq!(ids, sorted);
        }
    }

    #[test]
    fn case_is_ignored_first_and_decides_last() {
        let mut names = vec!["beta", "Alpha", "alpha", "Émile", "emile", "Beta"];
        sort_with(&mut names, &|a, b| cmp_ignore_case(a, b));
        assert_eq!(
            names,
            vec!["Alpha", "alpha", "Beta", "beta", "emile", "Émile"]
        );
    }
}
