-- A mix of what real users do: vacancy lists and pages, applications, panel pages.
-- Counts 5xx answers and prints them for the test to read.
local body_file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local apply_body = body_file:read("*all")
body_file:close()
-- Each application gets an e-mail address of its own (one per address and vacancy): the body's
-- 16-character placeholder becomes thread and request numbers.
local at = assert(apply_body:find("XXXXXXXXXXXXXXXX", 1, true), "no e-mail placeholder in the body")
local apply_head, apply_tail = apply_body:sub(1, at - 1), apply_body:sub(at + 16)
local applied = 0
local boundary = os.getenv("BOUNDARY")
local applicant_cookie = os.getenv("APPLICANT_COOKIE")
local panel_cookie = os.getenv("PANEL_COOKIE")
server_errors = 0
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_number", #threads)
end

function init(args)
    server_errors = 0
end

request = function()
    local pick = math.random(100)
    if pick <= 30 then
        return wrk.format("GET", "/jobs")
    elseif pick <= 55 then
        return wrk.format("GET", "/jobs/" .. math.random(2))
    elseif pick <= 70 then
        applied = applied + 1
        local body = apply_head .. string.format("%04d%012d", thread_number, applied) .. apply_tail
        return wrk.format("POST", "/jobs/1/apply", {["Content-Type"] = "multipart/form-data; boundary=" .. boundary, ["Cookie"] = applicant_cookie}, body)
    elseif pick <= 85 then
        return wrk.format("GET", "/staff/vacancies/1", {["Cookie"] = panel_cookie})
    else
        return wrk.format("GET", "/staff/applications/" .. math.random(20), {["Cookie"] = panel_cookie})
    end
end

response = function(status, headers, body)
    if status >= 500 then
        server_errors = server_errors + 1
    end
end

done = function(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("server_errors")
    end
    io.write(string.format("SERVER_ERRORS %d\n", total))
end
