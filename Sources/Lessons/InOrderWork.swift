import Dispatch
import Foundation
import Terminal

/// Runs independent pieces of work on several threads and hands each result on in the order
/// of the work, as soon as it and everything before it are done: `lesson --check all` prints
/// lesson 1's line first whichever lesson finishes first, and without waiting for the last.
///
/// Each piece must be self-contained (the lessons each run in a fresh interpreter); `deliver`
/// is called on one thread at a time.
public enum InOrderWork {
    public static func run<Result: Sendable>(
        count: Int, workers: Int, stackSize: Int = LargeStack.defaultSize, _ work: @Sendable @escaping (Int) -> Result, deliver: (Result) -> Void
    ) {
        guard count > 0 else { return }
        let box = Ready<Result>(count: count)
        let lanes = max(1, min(workers, count))
        let group = DispatchGroup()
        let next = Counter()
        for _ in 0..<lanes {
            group.enter()
            DispatchQueue.global().async {
                // As deep a stack as the command's own thread (a lesson may recurse as far as
                // the prompt does); where it cannot be had, the work runs on this thread.
                LargeStack.run(size: stackSize) {
                    while let index = next.take(below: count) { box.put(work(index), at: index) }
                }
                group.leave()
            }
        }
        for index in 0..<count { deliver(box.wait(for: index)) }
        group.wait()
    }

    /// Hands out 0, 1, 2, … to whichever thread asks next.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard value < limit else { return nil }
                defer { value += 1 }
                return value
            }
        }
    }

    /// Results by index, waited for one at a time.
    final class Ready<Result>: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Result?]

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func put(_ result: Result, at index: Int) {
            condition.withLock {
                results[index] = result
                condition.broadcast()
            }
        }

        func wait(for index: Int) -> Result {
            condition.withLock {
                while results[index] == nil { condition.wait() }
                return results[index]!
            }
        }
    }
}
