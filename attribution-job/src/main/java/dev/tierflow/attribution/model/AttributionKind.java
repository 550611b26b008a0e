package dev.tierflow.attribution.model;

/** What an {@link Attribution} counts. */
public enum AttributionKind {
    /** A result span joined to its routed attempt: counts spend, tokens, quality, latency. */
    SPAN,
    /** A routed attempt with no span within the stuck timeout: counts towards its scopes' stuck count. */
    STUCK,
    /** A span with no routed attempt within the join bound: counted per model only. */
    UNMATCHED
}
