import Lang

/// Runs `source` in a fresh session and returns the printed form of its value plus output.
func evaluate(_ source: String, in interp: Interpreter? = nil) throws -> String {
    let i = interp ?? session()
    return try i.run(source).map { format($0) } ?? ""
}

func session() -> Interpreter {
    let i = Interpreter()
    i.output = { _ in }
    return i
}

/// The error a source raises, rendered with its caret.
func errorText(_ source: String) -> String? {
    do { _ = try session().run(source); return nil } catch let e as LangError { return e.rendered(source: source) } catch {
        return "\(error)"
    }
}
