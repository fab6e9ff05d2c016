// Every interface text in English and Khmer. Data (names, messages, village names) stays as entered.
export const texts = {
  en: {
    title: 'CmacLive command dashboard',
    signInTitle: 'Sign in',
    signInHint: 'Paste the access token given to this command centre.',
    token: 'Access token',
    signIn: 'Sign in',
    signOut: 'Sign out',
    badToken: 'That token was refused.',
    unreachable: 'The server cannot be reached.',
    reconnecting: 'Connection lost: reconnecting…',
    resynced: 'Reconnected: the picture is up to date.',
    alerts: 'Alerts',
    noAlerts: 'No open alerts.',
    acknowledge: 'Acknowledge',
    acknowledged: 'Acknowledged by',
    cleared: 'cleared',
    units: 'Units',
    allUnits: 'All units',
    assets: 'Assets',
    dispatch: 'Dispatch',
    openRequests: 'Open requests',
    noRequests: 'No open requests.',
    language: 'Language',
    kind: { team: 'Team', machine: 'Machine', dog: 'Dog', rat: 'Rat' },
    state: { working: 'Working', resting: 'Resting', travelling: 'Travelling', standby: 'Standby', sos: 'SOS', unknown: 'Unknown', offline: 'Offline' },
    severity: { info: 'Info', warning: 'Warning', high: 'High', critical: 'Critical' },
    status: {
      received: 'Received', triaged: 'Triaged', assigned: 'Assigned', acknowledged: 'Acknowledged',
      'en-route': 'En route', 'on-site': 'On site', resolved: 'Resolved', cancelled: 'Cancelled',
    },
    priority: { emergency: 'Emergency', high: 'High', routine: 'Routine' },
    battery: 'Battery',
    lastSeen: 'Last seen',
    searched: 'searched',
    newRequest: 'New request',
    pickSite: 'Click the map where the item was found, or type its latitude and longitude.',
    latitude: 'Latitude',
    longitude: 'Longitude',
    found: 'What was found',
    foundItem: { mine: 'Mine', uxo: 'UXO', 'cluster-munition': 'Cluster munition', unknown: 'Unknown' },
    village: 'Village',
    province: 'Province',
    description: 'Description',
    reporter: 'Reporter',
    phone: 'Phone',
    nearPeople: 'People nearby',
    nearSchool: 'School nearby',
    nearRoad: 'Road nearby',
    file: 'File request',
    recommended: 'Recommended teams',
    noTeams: 'No EOD team is available.',
    assign: 'Assign',
    assignment: 'Assignment',
    showTrack: 'Show track',
    replay: 'Replay',
    fixes: 'fixes',
    find: 'Find',
    detection: 'Detection',
    areaStatus: { suspected: 'Suspected', confirmed: 'Confirmed', 'in-clearance': 'In clearance', released: 'Released' },
    alertKind: {
      sos: 'SOS',
      'unassigned-entry': 'In an area not assigned to it',
      stale: 'Stopped reporting',
      proximity: 'Working too close together',
      'animal-work-period': 'Animal past its work period',
      'detection-in-released-area': 'Detection in a released area',
      'dispatch-unacknowledged': 'Dispatch not acknowledged',
      'dispatch-overdue': 'Team not on site in time',
    },
    locate: 'Show on the map',
    sound: 'Alarm sound',
    soundHint: 'Click anywhere on the page to let the alarm sound.',
    refresh: 'Rank again',
    rankedAt: 'Ranked at',
    close: 'Close',
  },
  km: {
    title: 'ផ្ទាំងបញ្ជា CmacLive',
    signInTitle: 'ចូលប្រើ',
    signInHint: 'បិទភ្ជាប់សញ្ញាសម្ងាត់ដែលបានផ្ដល់ឱ្យមជ្ឈមណ្ឌលបញ្ជានេះ។',
    token: 'សញ្ញាសម្ងាត់',
    signIn: 'ចូល',
    signOut: 'ចាកចេញ',
    badToken: 'សញ្ញាសម្ងាត់នេះត្រូវបានបដិសេធ។',
    unreachable: 'មិនអាចភ្ជាប់ទៅម៉ាស៊ីនមេបានទេ។',
    reconnecting: 'ការតភ្ជាប់បានដាច់៖ កំពុងភ្ជាប់ឡើងវិញ…',
    resynced: 'បានភ្ជាប់ឡើងវិញ៖ ព័ត៌មានទាន់សម័យហើយ។',
    alerts: 'ការជូនដំណឹង',
    noAlerts: 'គ្មានការជូនដំណឹងបើកចំហទេ។',
    acknowledge: 'ទទួលស្គាល់',
    acknowledged: 'បានទទួលស្គាល់ដោយ',
    cleared: 'បានបញ្ចប់',
    units: 'អង្គភាព',
    allUnits: 'អង្គភាពទាំងអស់',
    assets: 'ធនធាន',
    dispatch: 'ការបញ្ជូនក្រុម',
    openRequests: 'សំណើកំពុងដំណើរការ',
    noRequests: 'គ្មានសំណើកំពុងដំណើរការទេ។',
    language: 'ភាសា',
    kind: { team: 'ក្រុម', machine: 'គ្រឿងចក្រ', dog: 'ឆ្កែ', rat: 'កណ្ដុរ' },
    state: { working: 'កំពុងធ្វើការ', resting: 'កំពុងសម្រាក', travelling: 'កំពុងធ្វើដំណើរ', standby: 'រង់ចាំ', sos: 'គ្រោះអាសន្ន', unknown: 'មិនដឹង', offline: 'ក្រៅបណ្ដាញ' },
    severity: { info: 'ព័ត៌មាន', warning: 'ព្រមាន', high: 'ខ្ពស់', critical: 'ធ្ងន់ធ្ងរ' },
    status: {
      received: 'បានទទួល', triaged: 'បានវាយតម្លៃ', assigned: 'បានចាត់តាំង', acknowledged: 'បានទទួលស្គាល់',
      'en-route': 'កំពុងធ្វើដំណើរ', 'on-site': 'ដល់ទីតាំង', resolved: 'បានដោះស្រាយ', cancelled: 'បានលុបចោល',
    },
    priority: { emergency: 'បន្ទាន់', high: 'ខ្ពស់', routine: 'ធម្មតា' },
    battery: 'ថ្ម',
    lastSeen: 'ឃើញចុងក្រោយ',
    searched: 'បានស្វែងរក',
    newRequest: 'សំណើថ្មី',
    pickSite: 'ចុចលើផែនទីត្រង់កន្លែងរកឃើញ ឬវាយរយៈទទឹង និងរយៈបណ្ដោយ។',
    latitude: 'រយៈទទឹង',
    longitude: 'រយៈបណ្ដោយ',
    found: 'អ្វីដែលបានរកឃើញ',
    foundItem: { mine: 'មីន', uxo: 'គ្រាប់មិនទាន់ផ្ទុះ', 'cluster-munition': 'គ្រាប់បែកចង្កោម', unknown: 'មិនដឹង' },
    village: 'ភូមិ',
    province: 'ខេត្ត',
    description: 'ការពិពណ៌នា',
    reporter: 'អ្នករាយការណ៍',
    phone: 'ទូរស័ព្ទ',
    nearPeople: 'មានមនុស្សនៅជិត',
    nearSchool: 'មានសាលារៀននៅជិត',
    nearRoad: 'មានផ្លូវនៅជិត',
    file: 'ដាក់សំណើ',
    recommended: 'ក្រុមដែលបានណែនាំ',
    noTeams: 'គ្មានក្រុមកម្ចាត់គ្រាប់ទំនេរទេ។',
    assign: 'ចាត់តាំង',
    assignment: 'ការចាត់តាំង',
    showTrack: 'បង្ហាញផ្លូវ',
    replay: 'ចាក់ឡើងវិញ',
    fixes: 'ទីតាំង',
    find: 'វត្ថុរកឃើញ',
    detection: 'សញ្ញារកឃើញ',
    areaStatus: { suspected: 'សង្ស័យ', confirmed: 'បានបញ្ជាក់', 'in-clearance': 'កំពុងបោសសម្អាត', released: 'បានដោះលែង' },
    alertKind: {
      sos: 'គ្រោះអាសន្ន (SOS)',
      'unassigned-entry': 'ចូលតំបន់ដែលមិនបានចាត់តាំង',
      stale: 'ឈប់រាយការណ៍',
      proximity: 'ធ្វើការជិតគ្នាពេក',
      'animal-work-period': 'សត្វធ្វើការហួសពេលកំណត់',
      'detection-in-released-area': 'សញ្ញារកឃើញក្នុងតំបន់ដែលបានដោះលែង',
      'dispatch-unacknowledged': 'ការបញ្ជូនមិនទាន់ទទួលស្គាល់',
      'dispatch-overdue': 'ក្រុមមិនទាន់ដល់ទីតាំងទាន់ពេល',
    },
    locate: 'បង្ហាញលើផែនទី',
    sound: 'សំឡេងរោទ៍',
    soundHint: 'ចុចកន្លែងណាមួយលើទំព័រ ដើម្បីអនុញ្ញាតឱ្យសំឡេងរោទ៍។',
    refresh: 'ចាត់ថ្នាក់ម្ដងទៀត',
    rankedAt: 'ចាត់ថ្នាក់នៅម៉ោង',
    close: 'បិទ',
  },
};

let language = localStorage.getItem('cmaclive.language') === 'km' ? 'km' : 'en';

export const currentLanguage = () => language;

export function setLanguage(value) {
  language = value === 'km' ? 'km' : 'en';
  localStorage.setItem('cmaclive.language', language);
  document.documentElement.lang = language;
  applyTexts();
}

/** The text for a key such as "alerts" or "state.working". */
export function t(key) {
  const value = key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), texts[language]);
  return value ?? key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), texts.en) ?? key;
}

/** Fills every element marked data-i18n (text) or data-i18n-placeholder. */
export function applyTexts(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = t(element.dataset.i18nPlaceholder);
  }
  document.title = t('title');
}
