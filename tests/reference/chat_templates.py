#!/usr/bin/python3
"""Reference renderings of the chat templates in tests/reference/chat-templates/ with Python's jinja2.

The environment is configured as Hugging Face transformers configures it for apply_chat_template: an
ImmutableSandboxedEnvironment with trim_blocks and lstrip_blocks, the loopcontrols extension, a tojson filter that is
json.dumps (non-ASCII kept, optional indent/sort_keys), and the globals raise_exception and strftime_now; the render
variables are messages, tools (None when absent), documents (None), add_generation_prompt, bos_token and eos_token.
Each template is rendered over every conversation with and without add_generation_prompt; a template that refuses a
conversation (raise_exception or any error) is recorded as an error. Writes golden/chat-templates.json.

Usage: /usr/bin/python3 tests/reference/chat_templates.py   (Debian: python3-jinja2)
"""
import json
import os

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))

TOKENS = {"bos_token": "<s>", "eos_token": "</s>"}

WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_weather", "description": "The current weather in a city, in °C.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"},
                                                    "days": {"type": "integer", "minimum": 1}},
                   "required": ["city"]}}}

CONVERSATIONS = {
    "user-only": {"messages": [{"role": "user", "content": "Hello, who are you?"}]},
    "system-user": {"messages": [{"role": "system", "content": "You are terse."},
                                 {"role": "user", "content": "  What is 2+2?  "}]},
    "multi-turn": {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! How can I help?"},
                                {"role": "user", "content": "Tell me a joke about \"quotes\" and 'apostrophes'."}]},
    "unicode-newlines": {"messages": [{"role": "system", "content": "Réponds en français.\nSois bref."},
                                      {"role": "user", "content": "Qu'est-ce que π ≈ ? 日本語\n\n- item\n\t- tab"}]},
    "not-alternating": {"messages": [{"role": "user", "content": "one"}, {"role": "user", "content": "two"}]},
    "tools": {"messages": [{"role": "system", "content": "Use tools when useful."},
                           {"role": "user", "content": "Weather in Paris?"},
                           {"role": "assistant", "content": "", "tool_calls": [
                               {"id": "call_1", "type": "function",
                                "function": {"name": "get_weather", "arguments": {"city": "Paris", "days": 2}}}]},
                           {"role": "tool", "content": "{\"temperature\": 21.5}", "tool_call_id": "call_1"},
                           {"role": "user", "content": "Thanks!"}],
              "tools": [WEATHER_TOOL]},
}


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: "(time)"
    return env


def main():
    env = environment()
    folder = os.path.join(HERE, "chat-templates")
    cases = []
    for name in sorted(os.listdir(folder)):
        source = open(os.path.join(folder, name), encoding="utf-8").read()
        template = env.from_string(source)
        for conv_name, conv in CONVERSATIONS.items():
            for gen in (True, False):
                case = {"template": name, "conversation": conv_name, "add_generation_prompt": gen}
                try:
                    case["output"] = template.render(messages=conv["messages"], tools=conv.get("tools"), documents=None,
                                                     add_generation_prompt=gen, **TOKENS)
                except Exception as e:  # the template refuses this conversation
                    case["error"] = str(e)
                cases.append(case)
    out = {"generator": "tests/reference/chat_templates.py", "jinja2": jinja2.__version__, "tokens": TOKENS,
           "conversations": CONVERSATIONS, "cases": cases}
    with open(os.path.join(HERE, "golden", "chat-templates.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
    print(len(cases), "renderings written,", sum("error" in c for c in cases), "refusals")


if __name__ == "__main__":
    main()
