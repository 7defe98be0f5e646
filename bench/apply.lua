-- wrk script: posts a complete application (built by lethe_bench.application_body) again and
-- again, each under an e-mail address of its own: Lethe takes one application per address and
-- vacancy. The body's 16-character placeholder becomes run, thread and request numbers.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*all")
f:close()
local at = assert(body:find("XXXXXXXXXXXXXXXX", 1, true), "no e-mail placeholder in the body")
local head, tail = body:sub(1, at - 1), body:sub(at + 16)
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("BOUNDARY")
wrk.headers["Cookie"] = os.getenv("COOKIE")

local count = 0
function setup(thread)
    count = count + 1
    thread:set("thread_number", count)
end

local sent = 0
function request()
    sent = sent + 1
    return wrk.format(nil, nil, nil, head .. string.format("%04d%02d%010d", os.time() % 10000, thread_number, sent) .. tail)
end
