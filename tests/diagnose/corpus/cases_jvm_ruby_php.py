# ruff: noqa: E501
"""JVM (maven with JUnit 5, javac, java), Ruby (rspec, minitest, rubocop, bundler, rake) and
PHP (phpunit, composer, php -l)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generate import CHECKOUT, Case
from more_cases import SETUP_JAVA, SETUP_PHP, SETUP_RUBY, Run, StepLike, add, case

POM = """
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId><artifactId>demo</artifactId><version>1.0</version>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version><scope>test</scope></dependency>
    EXTRA
  </dependencies>
  <build><plugins>
    <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version></plugin>
    <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.11.0</version></plugin>
    <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
  </plugins></build>
</project>
"""
CALC = "package com.example;\npublic class Calc {\n  public static int mul(int a, int b) { return a * b + (a == 3 ? 1 : 0); }\n  public static int parse(String s) { return Integer.parseInt(s.trim()); }\n}\n"
JAVA = [CHECKOUT, SETUP_JAVA]
MVN_ENV = {"HOME": "/root", "MAVEN_OPTS": "-Dstyle.color=never"}


def mvn(
    name: str,
    category: str,
    steps: Sequence[StepLike],
    files: dict[str, str],
    extra: str = "",
    **kw: Any,
) -> Case:
    kw.setdefault("version", "mvn -v | head -1")
    kw.setdefault("needs", ("mvn",))
    steps = [Run(s, env=MVN_ENV, timeout=400) if isinstance(s, str) else s for s in steps]
    return case(
        name,
        category,
        kw.pop("tool", "maven"),
        steps,
        {
            "pom.xml": POM.replace("EXTRA", extra),
            "src/main/java/com/example/Calc.java": CALC,
            **files,
        },
        prelude=JAVA,
        **kw,
    )


add(
    mvn(
        "mvn_junit5_failure",
        "test_failure",
        ["mvn -o -B test"],
        {
            "src/test/java/com/example/CalcTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass CalcTest {\n  @Test void multipliesSmall() { assertEquals(4, Calc.mul(2, 2)); }\n\n  @Test void multipliesThree() {\n    assertEquals(9, Calc.mul(3, 3), "3 x 3");\n  }\n}\n',
        },
        failures=[
            (
                "CalcTest.multipliesThree",
                "3 x 3 ==> expected: <9> but was: <10>",
                "CalcTest.java:11",
            )
        ],
        key=["expected: <9> but was: <10>"],
    ),
    mvn(
        "mvn_junit5_exception",
        "test_failure",
        ["mvn -o -B -ntp verify"],
        {
            "src/test/java/com/example/ParseTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass ParseTest {\n  @Test void parsesPlain() { assertEquals(12, Calc.parse("12")); }\n\n  @Test void parsesWithUnit() {\n    assertEquals(12, Calc.parse("12px"));\n  }\n}\n',
        },
        failures=[
            (
                "ParseTest.parsesWithUnit",
                'java.lang.NumberFormatException: For input string: "12px"',
                "ParseTest.java:11",
            )
        ],
        key=['NumberFormatException: For input string: "12px"'],
    ),
    mvn(
        "mvn_compile_error",
        "build",
        ["mvn -o -B -ntp package"],
        {
            "src/main/java/com/example/App.java": "package com.example;\n\npublic class App {\n  public static void main(String[] args) {\n    String s = Calc.mul(2, 2);\n    System.out.println(s)\n  }\n}\n"
        },
        key=["COMPILATION ERROR"],
    ),
    mvn(
        "mvn_test_compile_error",
        "build",
        ["mvn -o -B -ntp test"],
        {
            "src/test/java/com/example/CalcTest.java": "package com.example;\n\nimport org.junit.jupiter.api.Test;\n\nclass CalcTest {\n  @Test void multiplies() { Calc.multiply(2, 2); }\n}\n"
        },
        key=["cannot find symbol"],
        note="the test sources do not compile: a build failure",
    ),
    mvn(
        "mvn_dependency_dns",
        "infra_network",
        ["mvn -B -ntp -Dmaven.repo.local=.m2/repository dependency:resolve"],
        {},
        key=["repo.maven.apache.org"],
    ),
    mvn(
        "mvn_missing_artifact_offline",
        "dependency_install",
        ["mvn -o -B -ntp compile"],
        {},
        extra="<dependency><groupId>com.example.internal</groupId><artifactId>billing-client</artifactId><version>2.4.0</version></dependency>",
        key=["com.example.internal:billing-client:jar:2.4.0"],
    ),
    mvn(
        "mvn_surefire_oom",
        "oom_killed",
        ["mvn -o -B -ntp test -DargLine=-Xmx24m"],
        {
            "src/test/java/com/example/LoadTest.java": "package com.example;\n\nimport java.util.ArrayList;\nimport java.util.List;\nimport org.junit.jupiter.api.Test;\n\nclass LoadTest {\n  @Test void loadsEverything() {\n    List<long[]> rows = new ArrayList<>();\n    while (true) { rows.add(new long[100_000]); }\n  }\n}\n"
        },
        key=["There was an error in the forked process", "Java heap space"],
        note="the forked test JVM ran out of heap before surefire could report the test",
    ),
    case(
        "java_heap_oom",
        "oom_killed",
        "java",
        ["javac -d out Import.java && java -Xmx32m -cp out Import"],
        {
            "Import.java": 'import java.util.*;\n\npublic class Import {\n  public static void main(String[] args) {\n    List<byte[]> chunks = new ArrayList<>();\n    System.out.println("importing dataset");\n    while (true) chunks.add(new byte[1 << 20]);\n  }\n}\n'
        },
        key=['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'],
        version="java -version 2>&1 | head -1",
        prelude=JAVA,
    ),
    case(
        "javac_multiple_errors",
        "build",
        "javac",
        ["javac -d out -Xlint:all src/*.java"],
        {
            "src/Shop.java": "import java.util.List;\n\npublic class Shop {\n  int total(List<Integer> xs) {\n    int t = 0;\n    for (int x : xs) t += x;\n    return t.size();\n  }\n\n  String name() { return 42; }\n}\n"
        },
        key=["src/Shop.java:7: error: int cannot be dereferenced"],
        version="javac -version",
        prelude=JAVA,
    ),
)

# -- Ruby --------------------------------------------------------------------------------------

RUBY = [CHECKOUT, SETUP_RUBY]


def rb(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", "ruby -v")
    kw.setdefault("needs", ("ruby",))
    return case(name, category, tool, steps, files, prelude=RUBY, **kw)


add(
    rb(
        "ruby_rspec_failures",
        "test_failure",
        "rspec",
        ["rspec --no-color"],
        {
            "lib/cart.rb": "class Cart\n  def initialize(items) = @items = items\n  def total = @items.sum { |i| i[:price] } * 1.1\n  def count = @items.size\nend\n",
            "spec/cart_spec.rb": "require_relative '../lib/cart'\n\nRSpec.describe Cart do\n  let(:cart) { Cart.new([{ price: 10 }, { price: 5 }]) }\n\n  it 'counts items' do\n    expect(cart.count).to eq(2)\n  end\n\n  it 'totals prices' do\n    expect(cart.total).to eq(15)\n  end\nend\n",
        },
        failures=[("Cart totals prices", "expected: 15", "spec/cart_spec.rb:11")],
        key=["expected: 15"],
        version="rspec --version | head -2 | tail -1",
    ),
    rb(
        "ruby_rspec_error",
        "test_failure",
        "rspec",
        ["rspec --no-color --format documentation"],
        {
            "lib/user.rb": "class User\n  def initialize(attrs) = @attrs = attrs\n  def display_name = @attrs.fetch(:name).upcase\nend\n",
            "spec/user_spec.rb": "require_relative '../lib/user'\n\nRSpec.describe User do\n  it 'shows the name' do\n    expect(User.new(name: 'ada').display_name).to eq('ADA')\n  end\n\n  it 'handles a missing name' do\n    expect(User.new({}).display_name).to eq('')\n  end\nend\n",
        },
        failures=[("User handles a missing name", "KeyError:", "spec/user_spec.rb:9")],
        key=["key not found: :name"],
        version="rspec --version | head -2 | tail -1",
    ),
    rb(
        "ruby_minitest_failure",
        "test_failure",
        "minitest",
        ["ruby -Ilib -e 'Dir[\"test/*_test.rb\"].each { |f| require_relative f }'"],
        {
            "lib/money.rb": 'module Money\n  def self.format(cents) = format_plain(cents)\n  def self.format_plain(cents) = "$#{cents / 100}"\nend\n',
            "test/money_test.rb": "require 'minitest/autorun'\nrequire 'money'\n\nclass MoneyTest < Minitest::Test\n  def test_whole\n    assert_equal '$12', Money.format(1200)\n  end\n\n  def test_cents\n    assert_equal '$12.34', Money.format(1234)\n  end\nend\n",
        },
        failures=[("MoneyTest#test_cents", 'Expected: "$12.34"', "test/money_test.rb:10")],
        key=['Expected: "$12.34"'],
    ),
    rb(
        "ruby_rake_test_error",
        "test_failure",
        "rake",
        ["rake test"],
        {
            "Rakefile": "require 'rake/testtask'\n\nRake::TestTask.new(:test) do |t|\n  t.libs << 'lib'\n  t.test_files = FileList['test/**/*_test.rb']\nend\n",
            "lib/slug.rb": "module Slug\n  def self.call(s) = s.downcase.gsub(' ', '-')\nend\n",
            "test/slug_test.rb": "require 'minitest/autorun'\nrequire 'slug'\n\nclass SlugTest < Minitest::Test\n  def test_nil\n    assert_equal '', Slug.call(nil)\n  end\nend\n",
        },
        failures=[
            (
                "SlugTest#test_nil",
                "NoMethodError: undefined method `downcase' for nil:NilClass",
                "test/slug_test.rb:6",
            )
        ],
        key=["NoMethodError: undefined method `downcase' for nil:NilClass"],
        version="rake --version",
    ),
    rb(
        "ruby_rubocop_offenses",
        "lint",
        "rubocop",
        ["rubocop --format simple --no-color lib"],
        {
            "lib/app.rb": "def Process_Items(items)\n  items.each { |x| puts x }\n  unused = 1\n  return items\nend\n",
            ".rubocop.yml": "AllCops:\n  NewCops: disable\n  SuggestExtensions: false\n",
        },
        key=["Lint/UselessAssignment: Useless assignment to variable - unused."],
        version="rubocop --version",
    ),
    rb(
        "ruby_bundler_dns",
        "infra_network",
        "bundler",
        [Run("bundle install --retry 0", timeout=200, env={"BUNDLE_PATH": "vendor/bundle"})],
        {"Gemfile": "source 'https://rubygems.org'\n\ngem 'rack', '~> 3.0'\n"},
        key=["rubygems.org"],
        version="bundle --version",
    ),
    rb(
        "ruby_bundler_frozen_lockfile",
        "dependency_install",
        "bundler",
        [
            Run(
                "bundle install",
                timeout=200,
                env={"BUNDLE_FROZEN": "true", "BUNDLE_PATH": "vendor/bundle"},
            )
        ],
        {
            "Gemfile": "source 'https://rubygems.org'\n\ngem 'rack', '~> 3.0'\ngem 'rake'\n",
            "Gemfile.lock": "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  rack (~> 3.0)\n\nBUNDLED WITH\n   2.3.15\n",
        },
        key=["You are trying to install in deployment mode after changing"],
        version="bundle --version",
    ),
    rb(
        "ruby_syntax_error",
        "build",
        "ruby",
        ["ruby -c lib/report.rb && ruby lib/report.rb"],
        {"lib/report.rb": "def render(rows)\n  rows.each do |r|\n    puts r\n  end\nend\nend\n"},
        key=["syntax error, unexpected `end'"],
    ),
)

# -- PHP ---------------------------------------------------------------------------------------

PHP = [CHECKOUT, SETUP_PHP]


def php(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", "php --version | head -1")
    kw.setdefault("needs", ("php",))
    return case(name, category, tool, steps, files, prelude=PHP, **kw)


PHPUNIT_XML = '<?xml version="1.0"?>\n<phpunit colors="false" bootstrap="src/Calc.php">\n  <testsuites><testsuite name="unit"><directory>tests</directory></testsuite></testsuites>\n</phpunit>\n'
CALC_PHP = "<?php\n\nfinal class Calc\n{\n    public static function add(int $a, int $b): int\n    {\n        return $a + $b + ($a === 2 ? 1 : 0);\n    }\n}\n"

add(
    php(
        "php_phpunit_failure",
        "test_failure",
        "phpunit",
        ["phpunit"],
        {
            "phpunit.xml": PHPUNIT_XML,
            "src/Calc.php": CALC_PHP,
            "tests/CalcTest.php": "<?php\n\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class CalcTest extends TestCase\n{\n    public function testAddsSmall(): void\n    {\n        $this->assertSame(2, Calc::add(1, 1));\n    }\n\n    public function testAddsTwo(): void\n    {\n        $this->assertSame(4, Calc::add(2, 2));\n    }\n}\n",
        },
        failures=[
            (
                "CalcTest::testAddsTwo",
                "Failed asserting that 5 is identical to 4.",
                "tests/CalcTest.php:14",
            )
        ],
        key=["Failed asserting that 5 is identical to 4."],
        version="phpunit --version",
    ),
    php(
        "php_phpunit_error",
        "test_failure",
        "phpunit",
        ["phpunit --testdox"],
        {
            "phpunit.xml": PHPUNIT_XML,
            "src/Calc.php": CALC_PHP,
            "tests/ConfigTest.php": "<?php\n\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class ConfigTest extends TestCase\n{\n    public function testReadsPort(): void\n    {\n        $config = json_decode('{\"port\": 80}', true, 512, JSON_THROW_ON_ERROR);\n        $this->assertSame(80, $config['port']);\n    }\n\n    public function testRejectsBrokenJson(): void\n    {\n        $config = json_decode('{port: 80}', true, 512, JSON_THROW_ON_ERROR);\n        $this->assertSame(80, $config['port']);\n    }\n}\n",
        },
        failures=[
            (
                "Rejects broken json",
                "JsonException: Syntax error",
                "tests/ConfigTest.php:15",
            )
        ],
        key=["JsonException: Syntax error"],
        version="phpunit --version",
    ),
    php(
        "php_lint_syntax",
        "build",
        "php",
        ["find src -name '*.php' -print0 | xargs -0 -n1 php -l"],
        {
            "src/Ok.php": "<?php\necho 1;\n",
            "src/Broken.php": "<?php\n\nfunction total(array $xs) {\n    return array_sum($xs)\n}\n",
        },
        key=['PHP Parse error:  syntax error, unexpected token "}"'],
    ),
    php(
        "php_composer_dns",
        "infra_network",
        "composer",
        [
            Run(
                "composer install --no-interaction --no-progress",
                timeout=200,
                env={"COMPOSER_HOME": ".composer"},
            )
        ],
        {"composer.json": '{"name": "octo/proj", "require": {"monolog/monolog": "^3.0"}}\n'},
        key=["repo.packagist.org"],
        version="composer --version 2>/dev/null | head -1",
    ),
    php(
        "php_composer_lock_outdated",
        "dependency_install",
        "composer",
        [
            Run(
                "composer validate --no-check-publish --no-interaction",
                timeout=200,
                env={"COMPOSER_HOME": ".composer"},
            )
        ],
        {
            "composer.json": '{"name": "octo/proj", "description": "x", "license": "MIT", "require": {"php": ">=8.1", "monolog/monolog": "^3.0"}}\n',
            "composer.lock": '{"_readme": ["This file locks the dependencies of your project to a known state"], "content-hash": "0123456789abcdef0123456789abcdef", "packages": [], "packages-dev": [], "aliases": [], "minimum-stability": "stable", "stability-flags": [], "prefer-stable": false, "prefer-lowest": false, "platform": {"php": ">=8.1"}, "platform-dev": [], "plugin-api-version": "2.3.0"}\n',
        },
        key=["The lock file is not up to date with the latest changes in composer.json"],
        version="composer --version 2>/dev/null | head -1",
    ),
)
