// Every workflow type the worker registers. Deterministic code only: see ARCHITECTURE.md.
export {};
