import Glibc

/// A plain HTTP/1.0 request to a server on 127.0.0.1, for the fixtures' REST APIs (Patroni,
/// etcd): one connection per request, closed by the server after its answer.
///
///     LoopbackHTTP.request(port: 8008, path: "/cluster")   // Response(status: 200, body: "{\"members\": ...}")
///     LoopbackHTTP.request(port: 8008, path: "/cluster")   // nil: nobody listens, or no answer in time
enum LoopbackHTTP {
    struct Response: Sendable {
        let status: Int
        let body: String
    }

    static func request(_ method: String = "GET", port: Int, path: String, body: String? = nil,
                        timeout: Double = 5) -> Response? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        let payload = Array((body ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + payload
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { answer.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }  // timed out
            break
        }
        return parse(String(decoding: answer, as: UTF8.self))
    }

    /// "HTTP/1.0 200 OK\r\n...\r\n\r\nbody": the status and the body.
    static func parse(_ text: String) -> Response? {
        guard let headEnd = text.firstRange(of: "\r\n\r\n") else { return nil }
        let statusLine = text[..<headEnd.lowerBound].split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else { return nil }
        return Response(status: status, body: String(text[headEnd.upperBound...]))
    }
}
