"""Reading templates: JSON always, YAML with every short tag, and clear errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fakesfn import Backend
from fakesfn.iac import TemplateReadError
from fakesfn.iac.reader import read_template
from tests.iac.helpers import write

SHORT_TAGS = """
AWSTemplateFormatVersion: 2010-09-09
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  Tags:
    Value:
      ref: !Ref Topic
      getatt_dotted: !GetAtt Db.Endpoint.Address
      getatt_list: !GetAtt [Topic, TopicName]
      sub: !Sub "${AWS::Region}"
      sub_list: !Sub ["${x}", {x: !Ref AWS::Region}]
      join: !Join [",", [a, b]]
      select: !Select [0, !Split [",", "a,b"]]
      if: !If [Cond, a, b]
      equals: !Equals [a, b]
      not: !Not [!Condition Cond]
      and: !And [!Condition A, !Condition B]
      or: !Or [!Condition A, !Condition B]
      map: !FindInMap [M, K, V]
      base64: !Base64 text
      azs: !GetAZs ""
      import: !ImportValue shared
      cidr: !Cidr [10.0.0.0/16, 2, 8]
      length: !Length [a]
      json: !ToJsonString {a: 1}
      transform: !Transform {Name: AWS::Include}
"""


def test_every_short_tag_becomes_its_long_form(tmp_path):
    body = read_template(write(tmp_path, "t.yaml", SHORT_TAGS)).body
    assert body["AWSTemplateFormatVersion"] == "2010-09-09"  # unquoted, still not a date
    assert body["Outputs"]["Tags"]["Value"] == {
        "ref": {"Ref": "Topic"},
        "getatt_dotted": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
        "getatt_list": {"Fn::GetAtt": ["Topic", "TopicName"]},
        "sub": {"Fn::Sub": "${AWS::Region}"},
        "sub_list": {"Fn::Sub": ["${x}", {"x": {"Ref": "AWS::Region"}}]},
        "join": {"Fn::Join": [",", ["a", "b"]]},
        "select": {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]},
        "if": {"Fn::If": ["Cond", "a", "b"]},
        "equals": {"Fn::Equals": ["a", "b"]},
        "not": {"Fn::Not": [{"Condition": "Cond"}]},
        "and": {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]},
        "or": {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]},
        "map": {"Fn::FindInMap": ["M", "K", "V"]},
        "base64": {"Fn::Base64": "text"},
        "azs": {"Fn::GetAZs": ""},
        "import": {"Fn::ImportValue": "shared"},
        "cidr": {"Fn::Cidr": ["10.0.0.0/16", 2, 8]},
        "length": {"Fn::Length": ["a"]},
        "json": {"Fn::ToJsonString": {"a": 1}},
        "transform": {"Fn::Transform": {"Name": "AWS::Include"}},
    }


def test_a_json_template_and_a_dict_read_the_same(tmp_path):
    text = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'
    assert read_template(write(tmp_path, "t.json", text)).body == {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}
    }
    assert read_template({"Resources": {}}).origin == "<dict>"


def test_a_repeated_key_keeps_its_last_value_as_cloudformation_does(tmp_path):
    body = read_template(
        write(tmp_path, "t.yaml", "Resources:\n  A: {Type: X}\nResources:\n  B: {Type: Y}\n")
    ).body
    assert body == {"Resources": {"B": {"Type": "Y"}}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"Resources": ', r"t\.txt is not valid JSON: Expecting value: line 1 column 15"),
        ("Resources: [a\n", r"t\.txt is not valid YAML: while parsing a flow sequence"),
        (
            "Resources: !Unknown x\n",
            r"t\.txt is not valid YAML: could not determine a constructor for the tag '!Unknown'",
        ),
        ("Resources: !GetAtt NoDot\n", r"!GetAtt 'NoDot' must be written Resource\.Attribute"),
        ("- a list\n", r"t\.txt is not a JSON object or YAML mapping"),
    ],
)
def test_malformed_templates_say_what_and_where(tmp_path, text, message):
    with pytest.raises(TemplateReadError, match=message):
        read_template(write(tmp_path, "t.txt", text))


def test_an_unreadable_file_is_named(tmp_path):
    with pytest.raises(
        TemplateReadError, match=r"cannot read template .*missing\.yaml: No such file or directory"
    ):
        Backend().deploy_template(tmp_path / "missing.yaml")


def test_without_pyyaml_yaml_says_what_to_install_and_json_still_works(tmp_path):
    yaml_file = write(tmp_path, "t.yaml", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    json_file = write(tmp_path, "t.json", '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}')
    script = f"""
import sys
sys.modules["yaml"] = None  # as if PyYAML were not installed
import fakesfn
from fakesfn.iac import TemplateReadError
backend = fakesfn.Backend()
print(sorted(backend.deploy_template({str(json_file)!r}).functions))
try:
    backend.deploy_template({str(yaml_file)!r})
except TemplateReadError as error:
    print(error)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert lines[0] == "[]"
    assert lines[1].endswith(
        "is YAML, and reading YAML needs PyYAML: pip install 'fakesfn[yaml]' (or: pip install pyyaml)"
    )


def test_importing_fakesfn_imports_neither_yaml_nor_the_template_tools():
    script = "import sys, fakesfn; print('yaml' in sys.modules, 'fakesfn.iac.deploy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
