import Foundation

/// Runs many generated cases, each in its own process, a few at a time, and counts how
/// each ended. Crashes and hangs are kept (as files, when a folder is given) to reproduce.
public final class FuzzCampaign: @unchecked Sendable {
    public struct Failure: Sendable {
        public let number: Int
        public let kind: FuzzCaseGenerator.Kind
        public let outcome: CaseRunner.Outcome
        public let input: [UInt8]
    }

    public struct Report: Sendable {
        public var cases = 0
        public var exited = 0
        public var signalDeaths = 0
        public var hangs = 0
        public var perKind: [String: Int] = [:]
        /// Process seconds spent per kind of case.
        public var perKindSeconds: [String: Double] = [:]
        public var failures: [Failure] = []
        public var seconds = 0.0

        public var summary: String {
            let kinds = perKind.sorted { $0.key < $1.key }.map {
                "\($0.value) \($0.key) (\(String(format: "%.0f", 1000 * (perKindSeconds[$0.key] ?? 0) / Double($0.value))) ms each)"
            }.joined(separator: ", ")
            return """
                \(cases) cases in \(String(format: "%.0f", seconds)) s: \(exited) ended normally, \(signalDeaths) signal deaths, \(hangs) hangs
                cases by kind: \(kinds)
                """
        }
    }

    let runner: CaseRunner
    let jobs: Int
    let lock = NSLock()
    var report = Report()
    var generator: FuzzCaseGenerator?
    var nextNumber = 0

    public init(runner: CaseRunner, jobs: Int) {
        self.runner = runner
        self.jobs = max(1, jobs)
    }

    /// Runs `count` cases from `generator`; `progress` is called after each case with the
    /// report so far, and `failed` with each crash or hang as it happens.
    public func run(
        count: Int, generator: FuzzCaseGenerator,
        progress: @escaping @Sendable (Report) -> Void = { _ in },
        failed: @escaping @Sendable (Failure) -> Void = { _ in }
    ) -> Report {
        self.generator = generator
        nextNumber = 0
        report = Report()
        let start = Date()
        let group = DispatchGroup()
        for _ in 0..<jobs {
            group.enter()
            Thread {
                while true {
                    self.lock.lock()
                    guard self.nextNumber < count, let item = self.generator?.next() else { self.lock.unlock(); break }
                    let number = self.nextNumber
                    self.nextNumber += 1
                    self.lock.unlock()
                    let caseStart = Date()
                    let outcome = (try? self.runner.run(input: item.bytes)) ?? .exited(-1)
                    let caseSeconds = Date().timeIntervalSince(caseStart)
                    self.lock.lock()
                    self.report.cases += 1
                    self.report.perKind[item.kind.rawValue, default: 0] += 1
                    self.report.perKindSeconds[item.kind.rawValue, default: 0] += caseSeconds
                    var failure: Failure?
                    switch outcome {
                    case .exited: self.report.exited += 1
                    case .signal: self.report.signalDeaths += 1
                    case .hang: self.report.hangs += 1
                    }
                    if case .exited = outcome {
                    } else {
                        failure = Failure(number: number, kind: item.kind, outcome: outcome, input: item.bytes)
                        self.report.failures.append(failure!)
                    }
                    self.report.seconds = Date().timeIntervalSince(start)
                    let snapshot = self.report
                    self.lock.unlock()
                    if let failure { failed(failure) }
                    progress(snapshot)
                }
                group.leave()
            }.start()
        }
        group.wait()
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}
