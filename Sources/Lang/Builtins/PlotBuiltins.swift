import Autograd
import NeuralNet
import Plots
import Tensors

/// Numbers from a list of numbers or a tensor (flattened).
func series(_ v: Value, _ a: Arguments, _ name: String) throws -> [Double] {
    switch v {
    case .list(let items):
        return try items.map {
            switch $0 {
            case .number(let x): return x
            case .tensor(let t) where t.value.count == 1: return Double(t.value.scalars[0])
            default: throw LangError(.type, "\(a.callee): \(name) must hold numbers, found a \($0.typeName)")
            }
        }
    case .tensor(let t): return t.value.scalars.map(Double.init)
    case .object(let h as HistoryObject): return h.history.loss
    default: throw LangError(.type, "\(a.callee): \(name) must be a list of numbers, a tensor or a history, got a \(v.typeName)")
    }
}

/// Prints a picture: to the file named by `to:`, else as an inline image when the terminal
/// draws them (`interp.inlineImages`), else as text.
func show(_ text: String, chart: Chart?, canvas: Canvas?, _ a: Arguments, _ interp: Interpreter) throws -> Value {
    guard a.has("to") else {
        if let picture = canvas ?? chart?.canvas(), let sequence = interp.inlineImages.encode(picture) {
            interp.output(sequence)
        } else {
            interp.output(text)
        }
        return .none
    }
    let path = try a.string("to")
    do {
        if let chart { try PlotFile.write(chart: chart, to: path) } else if let canvas { try PlotFile.write(canvas: canvas, to: path) }
    } catch let e as PlotError { throw LangError(.runtime, e.message) }
    interp.output("wrote \(path)")
    return .none
}

func registerPlotBuiltins(_ r: inout BuiltinRegistry) {
    let c = "Plots"
    r.register(
        "plot", [Param("series", .value, variadic: true), Param("labels", .value, default: .absent), Param("log", .flag, default: false), Param("title", .text, default: ""), Param("x_label", .text, default: ""), Param("y_label", .text, default: ""), Param("to", .text, default: .absent, doc: "a .png or .svg path to write instead of printing")], category: c,
        doc: "Line plot of one or more series (lists of numbers, tensors, or a history's loss) in the terminal, or to a .png/.svg file with to:. A history plots its loss; pass h.train_acc and h.val_acc together to compare them. log: true uses a log-scale y axis. Files carry the title, tick values, axis names (x_label, y_label; a log axis is named \"log10 scale\" unless y_label is given) and a legend.",
        example: "plot([3, 2, 1.5, 1.2, 1.1], [3, 2.5, 2.2, 2.1, 2], labels: [\"a\", \"b\"])"
    ) { a, interp in
        guard !a.values("series").isEmpty else { throw LangError(.type, "plot: give at least one series, e.g. plot(h.loss)") }
        var labels: [String] = []
        if case .list(let l)? = a.value("labels") { labels = l.map { format($0) } }
        let s = try a.values("series").enumerated().map { i, v in
            Chart.Series(name: i < labels.count ? labels[i] : (a.values("series").count > 1 ? "series \(i + 1)" : ""), y: try series(v, a, "series"))
        }
        let logY = try a.bool("log")
        var chart = Chart(series: s, logY: logY, title: try a.string("title"))
        chart.xLabel = try a.string("x_label")
        chart.yLabel = try a.string("y_label")
        return try show(chart.terminal(width: terminalColumns - 2, color: interp.color), chart: chart, canvas: nil, a, interp)
    }
    r.register(
        "scatter", [Param("points", .value, doc: "a tensor [N, 2] or a dataset"), Param("labels", .wholes(.count), default: .absent), Param("title", .text, default: ""), Param("to", .text, default: .absent, doc: "a .png or .svg path to write instead of printing")], category: c,
        doc: "Scatter plot of 2-D points [N, 2] (a tensor or a dataset's x), coloured by class label when labels (or a dataset) are given.",
        example: "scatter(spiral(30))"
    ) { a, interp in
        var x: Tensor<Float>, classes: [Int]? = nil
        if case .object(let d as DatasetObject)? = a.value("points") { x = d.data.inputs; classes = d.data.labels } else { x = try a.tensor("points").value }
        if a.has("labels") { classes = try a.wholeList("labels") }
        guard x.rank == 2, x.shape[1] >= 2 else { throw LangError(.runtime, "scatter: points must have shape [N, 2], got \(x.shape)") }
        let pts = (0..<x.shape[0]).map { (x: Double(x.scalars[$0 * x.shape[1]]), y: Double(x.scalars[$0 * x.shape[1] + 1])) }
        let chart = Chart(series: [.init(name: "", points: pts, classes: classes)], title: try a.string("title"), scatter: true)
        return try show(chart.terminal(width: min(terminalColumns - 2, 70), height: 20, color: interp.color), chart: chart, canvas: nil, a, interp)
    }
    r.register(
        "hist", [Param("x", .value), Param("bins", .whole(.positiveCount.within(1...10_000)), default: 20), Param("title", .text, default: ""), Param("to", .text, default: .absent, doc: "a .png or .svg path to write instead of printing")], category: c,
        doc: "Histogram of a tensor's values or a list of numbers — e.g. the activations of one layer.",
        example: "hist(randn(1000), bins: 10)"
    ) { a, interp in
        let h = Histogram(try series(a.value("x") ?? .none, a, "x"), bins: try a.whole("bins"), title: try a.string("title"))
        return try show(h.terminal(width: min(terminalColumns, 80)), chart: h.chart(), canvas: nil, a, interp)
    }
    r.register(
        "show_images", [Param("x", .value, doc: "a tensor of images or a dataset"), Param("n", .whole(.count), default: 16), Param("to", .text, default: .absent, doc: "a .png or .svg path to write instead of printing")], category: c,
        doc: "Shows images [N, C, H, W] (or a dataset's images) as colour half-blocks in the terminal, or writes a PNG grid with to:.",
        example: "show_images(synthetic_images(4))"
    ) { a, interp in
        var x: Tensor<Float>
        if case .object(let d as DatasetObject)? = a.value("x") { x = d.data.inputs } else { x = try a.tensor("x").value }
        do {
            let grid = try ImageGrid(scalars: x.scalars.map(Double.init), shape: x.shape, limit: try a.whole("n"))
            return try show(grid.terminal(columns: terminalColumns, color: interp.color), chart: nil, canvas: grid.canvas(), a, interp)
        } catch let e as PlotError { throw LangError(.runtime, "show_images: \(e.message)") }
    }
    r.register(
        "show_filters", [Param("net_or_weights", .value, doc: "a model (its first conv layer) or a weight tensor [K, C, R, S]"), Param("n", .whole(.count), default: 32), Param("to", .text, default: .absent, doc: "a .png or .svg path to write instead of printing")], category: c,
        doc: "Shows the first conv layer's filters (or any weight tensor [K, C, R, S]) as small images: noisy filters mean under-training or too little regularization; smooth ones are a good sign.",
        example: "show_filters(small_convnet(), n: 8)"
    ) { a, interp in
        var w: Tensor<Float>
        if case .object(let m as ModelObject)? = a.value("net_or_weights") {
            guard let p = m.module.parameters.first(where: { $0.variable.value.rank == 4 }) else {
                throw LangError(.runtime, "show_filters: this model has no conv layer; pass a weight tensor [K, C, R, S]")
            }
            w = p.variable.value
        } else {
            w = try a.tensor("net_or_weights").value
        }
        do {
            let grid = try ImageGrid(scalars: w.scalars.map(Double.init), shape: w.shape, limit: try a.whole("n"))
            return try show(grid.terminal(columns: terminalColumns, color: interp.color), chart: nil, canvas: grid.canvas(scale: 8), a, interp)
        } catch let e as PlotError { throw LangError(.runtime, "show_filters: \(e.message)") }
    }
    r.register(
        "activations", [Param("net", .object("model")), Param("x", .tensor)], category: c,
        doc: "The output of every layer of a sequential model for input x, as a list of tensors (no graph): hist(activations(net, x)[2]) shows one layer's distribution.",
        example: "acts = activations(fully_connected([10, 20, 20, 3]), randn(5, 10)); len(acts)"
    ) { a, _ in
        let net = try model(a)
        let layers = net.stages
        var x = try a.tensor("x")
        var out: [Value] = []
        try withoutGradient {
            for l in layers { x = try l(x); out.append(.tensor(Variable(x.value))) }
        }
        return .list(out)
    }
}
