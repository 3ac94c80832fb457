-- What the test reads back: a JSON report written to $ACCORD_REPORT, then Neovim quits.
local M = { data = { errors = {} } }

local started = vim.uv.hrtime()

--- Milliseconds since this file was loaded.
function M.elapsed()
  return math.floor((vim.uv.hrtime() - started) / 1e6)
end

--- Waits for `condition`; records `what` as an error when it does not hold in time.
function M.wait(what, condition)
  local ok = vim.wait(20000, condition, 10)
  if not ok then
    table.insert(M.data.errors, "timed out waiting for " .. what)
  end
  return ok
end

--- Records every vim.notify in the report's `notes` instead of showing it.
function M.capture_notes()
  M.data.notes = {}
  vim.notify = function(message, level)
    table.insert(M.data.notes, { message = message, level = level })
  end
end

--- A wait condition: some note matches `pattern`.
function M.noted(pattern)
  return function()
    return vim.iter(M.data.notes):any(function(n) return n.message:find(pattern) ~= nil end)
  end
end

--- Runs `scenario()`, writes the report (with any error raised), saves buffers and quits.
function M.run(scenario)
  local ok, err = pcall(scenario)
  if not ok then
    table.insert(M.data.errors, tostring(err))
  end
  vim.cmd("silent! wall")
  vim.fn.writefile({ vim.json.encode(M.data) }, vim.env.ACCORD_REPORT)
  vim.cmd("qa!")
end

return M
