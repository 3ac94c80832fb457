-- The Team view while a teammate's language server works in the same room: their agent's
-- proposal and their suggestion arrive as vim.notify; :Accord team shows them; `a` on the
-- suggestion accepts it.
local report = dofile(vim.env.ACCORD_TESTS .. "/report.lua")
local noted = report.noted
report.capture_notes()

local function wait_long(what, condition)
  if not vim.wait(90000, condition, 50) then
    table.insert(report.data.errors, "timed out waiting for " .. what)
    error("timed out waiting for " .. what)
  end
end

local function team_lines()
  return vim.api.nvim_buf_get_lines(require("accord.team").buf, 0, -1, false)
end

report.run(function()
  report.wait("the client", function() return #vim.lsp.get_clients({ name = "accord" }) > 0 end)
  wait_long("the teammate's proposal", noted("bob@acme.test: document pricing.py — proposal completed"))
  wait_long("the teammate's suggestion", noted("bob@acme.test suggests: Round prices to cents"))
  vim.cmd("Accord team")
  wait_long("the Team view", function()
    local buf = require("accord.team").buf
    return buf ~= nil and vim.api.nvim_get_current_buf() == buf
  end)
  report.data.team = team_lines()
  local row = vim.iter(ipairs(report.data.team)):find(function(_, line) return line:find("%[open%]") end)
  vim.api.nvim_win_set_cursor(0, { row, 0 })
  vim.cmd("normal a")
  wait_long("the suggestion to be accepted", noted("bob@acme.test's suggestion accepted"))
  wait_long("the view to redraw", function()
    return vim.iter(team_lines()):any(function(line) return line:find("%[accepted%]") ~= nil end)
  end)
  report.data.after = team_lines()
end)
