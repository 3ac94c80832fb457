--- Asking an agent in your own words: the "Accord: Ask an agent..." code action and :Accord ask.
---
--- The code action's command (accord.agents.ask) carries the scope; this handler asks for the
--- instruction with vim.ui.input (any input UI: the built-in prompt, dressing, snacks, ...) and
--- sends it. The proposal then goes through the server's approval gate like any other action.
local client = require("accord.client")
local approvals = require("accord.approvals")

local M = {}

M.COMMAND = "accord.agents.ask"

--- Shows what became of the proposal: applied, waiting (why), or nothing to change.
local function outcome(result)
  if type(result) ~= "table" then
    return
  end
  if result.applied == false and result.state ~= nil then
    return approvals.on_result(nil, result)
  end
  local what = result.applied and "applied" or (result.rationale or "proposed")
  local risk = result.risk and (" (risk %s, %s)"):format(result.risk, result.workflow) or ""
  vim.notify(("Accord: %s — %s%s"):format(result.title or "Ask", what, risk), vim.log.levels.INFO)
end

--- Sends `instruction` over `scope` ({uri, range?} or {uris}) to the server.
function M.send(instruction, scope)
  client.execute(M.COMMAND, { { instruction = instruction, scope = scope } }, outcome)
end

--- Asks for the instruction (unless given), then sends it.
function M.ask(scope, instruction)
  if instruction ~= nil and vim.trim(instruction) ~= "" then
    return M.send(vim.trim(instruction), scope)
  end
  vim.ui.input({ prompt = "Ask an agent: " }, function(text)
    if text ~= nil and vim.trim(text) ~= "" then
      M.send(vim.trim(text), scope)
    end
  end)
end

--- The current buffer as a scope: lines line1..line2 (1-based) when `ranged`, else the file.
function M.scope(ranged, line1, line2)
  local scope = { uri = vim.uri_from_bufnr(0) }
  if ranged then
    scope.range = { start = { line = line1 - 1, character = 0 }, ["end"] = { line = line2, character = 0 } }
  end
  return scope
end

--- vim.lsp.commands handler for the code action: its scope, and the user's words.
function M.command(command, ctx)
  local argument = (command.arguments or {})[1] or {}
  local scope = argument.scope or { uri = vim.uri_from_bufnr(ctx and ctx.bufnr or 0) }
  M.ask(scope, argument.instruction)
end

--- Lets the code action ask for the instruction on this side before it reaches the server.
function M.register()
  vim.lsp.commands[M.COMMAND] = M.command
end

return M
