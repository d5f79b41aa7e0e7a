import Testing

/// Every suite that drives the real studio in tmux, run one after another (each is serialized inside too): side by
/// side, five studios painting at once on a 2-core machine made key round trips take seconds and starved the
/// other tests' sessions.
@Suite("The studio in tmux, one suite at a time", .serialized)
enum TmuxSuites {}
