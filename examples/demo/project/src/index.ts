// The library's entry point. Each story adds a module and re-exports it here.
export {};
