import Foundation

/// Renders lesson Markdown for a terminal: headings, **bold**, *emphasis*, `code`, bullet and
/// numbered lists with hanging indents, plain fenced text, all wrapped to `width`.
public enum Prose {
    public static func render(_ markdown: String, width: Int = 80, color: Bool = true) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var inFence = false
        func flush() {
            guard !paragraph.isEmpty else { return }
            out += wrap(inline(paragraph.joined(separator: " "), color: color), width: width, indent: "", hanging: "")
            paragraph = []
        }
        for raw in markdown.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("```") { flush(); inFence.toggle(); continue }
            if inFence { out.append("    " + raw); continue }
            if line.isEmpty { flush(); if out.last != "" { out.append("") }; continue }
            if line.hasPrefix("#") {
                flush()
                let text = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                out.append(color ? "\u{1B}[1;4m\(text)\u{1B}[0m" : text.uppercased())
                continue
            }
            if let marker = listMarker(line) {
                flush()
                let body = String(line.dropFirst(marker.count))
                out += wrap(inline(body, color: color), width: width, indent: "  " + marker, hanging: String(repeating: " ", count: marker.count + 2))
                continue
            }
            if raw.hasPrefix("  ") && !paragraph.isEmpty { paragraph.append(line); continue }
            paragraph.append(line)
        }
        flush()
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n")
    }

    static func listMarker(_ line: String) -> String? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return "• " }
        if let dot = line.firstIndex(of: "."), line[..<dot].allSatisfy(\.isNumber), !line[..<dot].isEmpty,
            line[line.index(after: dot)...].hasPrefix(" ")
        {
            return String(line[...dot]) + " "
        }
        return nil
    }

    /// Inline markup to ANSI (or plain text without colour).
    static func inline(_ s: String, color: Bool) -> String {
        var out = ""
        var i = s.startIndex
        func take(_ delimiter: String, _ open: String, _ close: String) -> Bool {
            guard s[i...].hasPrefix(delimiter) else { return false }
            let after = s.index(i, offsetBy: delimiter.count)
            guard after < s.endIndex, let end = s[after...].range(of: delimiter) else { return false }
            let inner = String(s[after..<end.lowerBound])
            out += color ? open + inner + close : inner
            i = end.upperBound
            return true
        }
        while i < s.endIndex {
            if take("`", "\u{1B}[36m", "\u{1B}[0m") || take("**", "\u{1B}[1m", "\u{1B}[0m") || take("*", "\u{1B}[3m", "\u{1B}[0m") { continue }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }

    /// Visible length, ignoring ANSI escapes.
    static func visibleCount(_ s: String) -> Int {
        var n = 0, inEscape = false
        for c in s {
            if inEscape { if c == "m" { inEscape = false }; continue }
            if c == "\u{1B}" { inEscape = true; continue }
            n += 1
        }
        return n
    }

    static func wrap(_ text: String, width: Int, indent: String, hanging: String) -> [String] {
        var lines: [String] = []
        var current = indent
        var currentCount = indent.count
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = String(word), wc = visibleCount(w)
            if currentCount > hanging.count && currentCount + 1 + wc > width && currentCount > indent.count {
                lines.append(current)
                current = hanging + w
                currentCount = hanging.count + wc
            } else {
                let needsSpace = currentCount > (lines.isEmpty ? indent.count : hanging.count)
                current += (needsSpace ? " " : "") + w
                currentCount += (needsSpace ? 1 : 0) + wc
            }
        }
        lines.append(current)
        return lines
    }
}
