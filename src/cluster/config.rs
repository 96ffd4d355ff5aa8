//! `nbwheel config`: the `customPythonConfig` block and the `kubectl patch` that enables an
//! archive's plugins.
